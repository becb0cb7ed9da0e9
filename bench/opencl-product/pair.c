/*
 * Paired timing of the CPU-form matrix product (CpuNetworkKernel.gemmAxpy) of two versions of
 * the generated OpenCL program, on the first OpenCL device (pocl here).
 *
 * The two programs are launched alternately, A B B A A B ..., on the same buffers and the same
 * shape; each launch is timed on its own (enqueue to clFinish) and the ratio B/A of each pair
 * is kept. On a shared machine whose speed drifts by tens of percent between runs, the median
 * of these paired ratios is steady to about 2% (A against A gives 1.00), where the best or the
 * mean of separate runs is not.
 *
 * The programs are the CPU-form kernel source Aparapi generates (see README.md). Kernel
 * arguments are set by name: act and params (par before the renaming) get the test buffers, every other buffer a small
 * dummy, the product's scalars the shape below, all other scalars 0.
 *
 * Usage: pair A.cl B.cl   (environment: M N T members rows rowsB aSm aSt reps)
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CK(x) do { cl_int e_ = (x); if (e_) { fprintf(stderr, "OpenCL error %d at line %d\n", e_, __LINE__); exit(1); } } while (0)

typedef struct { const char *name; double value; } Scalar;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int env(const char *name, int dflt) {
    const char *v = getenv(name);
    return v ? atoi(v) : dflt;
}

static char *slurp(const char *file) {
    FILE *f = fopen(file, "r");
    if (!f) { fprintf(stderr, "cannot read %s\n", file); exit(2); }
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t r;
    while ((r = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap) s = realloc(s, cap *= 2);
    }
    s[n] = 0;
    fclose(f);
    return s;
}

static cl_kernel build(cl_context ctx, cl_device_id dev, const char *file, cl_mem act, cl_mem par,
        cl_mem dummy, const Scalar *scalars) {
    char *src = slurp(file);
    cl_int e;
    cl_program p = clCreateProgramWithSource(ctx, 1, (const char **) &src, NULL, &e);
    CK(e);
    if (clBuildProgram(p, 1, &dev, "", NULL, NULL)) {
        static char log[1 << 16];
        clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
        fprintf(stderr, "%s: build failed\n%s\n", file, log);
        exit(1);
    }
    cl_kernel k = clCreateKernel(p, "run", &e);
    CK(e);
    char *s = strstr(src, "__kernel void run(");
    if (!s) { fprintf(stderr, "%s: no kernel run\n", file); exit(2); }
    s += strlen("__kernel void run(");
    char *end = strstr(s, "){");
    for (cl_uint i = 0; s < end; i++) {
        char *c = strchr(s, ',');
        if (!c || c > end) c = end;
        char decl[256], type[64] = "", name[64] = "";
        size_t len = (size_t) (c - s) < sizeof decl - 1 ? (size_t) (c - s) : sizeof decl - 1;
        memcpy(decl, s, len);
        decl[len] = 0;
        s = c + 1;
        char *star = strchr(decl, '*');
        if (star) {
            sscanf(star + 1, "%63s", name);
            cl_mem m = !strcmp(name, "act") ? act : !strcmp(name, "params") || !strcmp(name, "par") ? par : dummy;
            CK(clSetKernelArg(k, i, sizeof m, &m));
        } else {
            sscanf(decl, "%63s %63s", type, name);
            double v = 0;
            for (const Scalar *x = scalars; x->name; x++) {
                if (!strcmp(x->name, name)) v = x->value;
            }
            if (!strcmp(type, "float")) {
                float f = (float) v;
                CK(clSetKernelArg(k, i, sizeof f, &f));
            } else {
                int n = (int) v;
                CK(clSetKernelArg(k, i, sizeof n, &n));
            }
        }
    }
    free(src);
    return k;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: pair A.cl B.cl\n"); return 2; }
    int M = env("M", 4096), N = env("N", 128), T = env("T", 128), K = env("members", 8);
    int rowsA = env("rows", 128), rowsB = env("rowsB", rowsA), reps = env("reps", 60);
    int aSm = env("aSm", T), aSt = env("aSt", 1);
    const size_t local = 16;
    size_t na = (size_t) K * M * T, nc = (size_t) K * M * N, nb = (size_t) K * T * N;

    cl_platform_id pl;
    cl_device_id dev;
    cl_int e;
    CK(clGetPlatformIDs(1, &pl, NULL));
    CK(clGetDeviceIDs(pl, CL_DEVICE_TYPE_ALL, 1, &dev, NULL));
    cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &e);
    CK(e);
    cl_command_queue q = clCreateCommandQueue(ctx, dev, 0, &e);
    CK(e);

    /* act holds A, then C; par holds B (member stride T·N), as in the training step */
    float *a = malloc((na + nc) * sizeof(float)), *b = malloc(nb * sizeof(float)), d[64] = {0};
    for (size_t i = 0; i < na; i++) a[i] = (float) (i % 97) * 0.01f;
    for (size_t i = 0; i < nb; i++) b[i] = (float) (i % 89) * 0.01f;
    cl_mem act = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, (na + nc) * sizeof(float), a, &e);
    CK(e);
    cl_mem par = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, nb * sizeof(float), b, &e);
    CK(e);
    cl_mem dummy = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, sizeof d, d, &e);
    CK(e);

    /* the field names of KernelState, and the ones programs generated before the renaming use */
    Scalar sc[] = {{"mode", 13}, {"gemmM", M}, {"gemmN", N}, {"gemmT", T}, {"gemmAOffset", 0},
        {"gemmAMemberStride", (double) M * T}, {"gemmARowStride", aSm}, {"gemmAInnerStride", aSt},
        {"gemmBSource", 0}, {"gemmBOffset", 0}, {"gemmBMemberStride", (double) T * N},
        {"gemmBInnerStride", N}, {"gemmBColumnStride", 1}, {"gemmCTarget", 0},
        {"gemmCOffset", (double) na}, {"gemmCMemberStride", (double) M * N}, {"gemmCRowStride", N},
        {"gemmAlpha", 1}, {"gemmAccumulate", 0}, {"gemmRows", rowsA},
        {"gM", M}, {"gN", N}, {"gT", T}, {"gaOff", 0}, {"gaSk", (double) M * T},
        {"gaSm", aSm}, {"gaSt", aSt}, {"gbSrc", 0}, {"gbOff", 0}, {"gbSk", (double) T * N}, {"gbSt", N},
        {"gbSn", 1}, {"gcDst", 0}, {"gcOff", (double) na}, {"gcSk", (double) M * N}, {"gcSm", N},
        {"gAlpha", 1}, {"gAcc", 0}, {"gRows", rowsA}, {NULL, 0}};
    cl_kernel kA = build(ctx, dev, argv[1], act, par, dummy, sc);
    for (Scalar *x = sc; x->name; x++) {
        if (!strcmp(x->name, "gRows") || !strcmp(x->name, "gemmRows")) x->value = rowsB;
    }
    cl_kernel kB = build(ctx, dev, argv[2], act, par, dummy, sc);

    size_t gA[2] = {((M + rowsA - 1) / rowsA + local - 1) / local * local, (size_t) K};
    size_t gB[2] = {((M + rowsB - 1) / rowsB + local - 1) / local * local, (size_t) K};
    size_t lw[2] = {local, 1};
    for (int w = 0; w < 3; w++) {
        CK(clEnqueueNDRangeKernel(q, kA, 2, NULL, gA, lw, 0, NULL, NULL));
        CK(clEnqueueNDRangeKernel(q, kB, 2, NULL, gB, lw, 0, NULL, NULL));
        CK(clFinish(q));
    }
    double *tA = malloc(reps * sizeof(double)), *tB = malloc(reps * sizeof(double)), *r = malloc(reps * sizeof(double));
    for (int i = 0; i < reps; i++) {
        for (int j = 0; j < 2; j++) {
            int useB = (i + j) & 1;
            double t0 = now();
            CK(clEnqueueNDRangeKernel(q, useB ? kB : kA, 2, NULL, useB ? gB : gA, lw, 0, NULL, NULL));
            CK(clFinish(q));
            (useB ? tB : tA)[i] = now() - t0;
        }
        r[i] = tB[i] / tA[i];
    }
    qsort(tA, reps, sizeof(double), cmp);
    qsort(tB, reps, sizeof(double), cmp);
    qsort(r, reps, sizeof(double), cmp);
    double gflop = 2.0 * K * M * N * T / 1e9;
    printf("%dx%dx%d x %d members (aSm %d, aSt %d), rows %d / %d, %d pairs\n", M, N, T, K, aSm, aSt, rowsA, rowsB, reps);
    printf("  A %s: median %.2f ms (%.1f GFLOP/s)\n", argv[1], tA[reps / 2] * 1e3, gflop / tA[reps / 2]);
    printf("  B %s: median %.2f ms (%.1f GFLOP/s)\n", argv[2], tB[reps / 2] * 1e3, gflop / tB[reps / 2]);
    printf("  B/A per pair: median %.3f, quartiles %.3f %.3f\n", r[reps / 2], r[reps / 4], r[3 * reps / 4]);
    return 0;
}
