package dev.bayesnf.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The OpenCL devices of this machine in selection order: GPUs first, then accelerators, then CPU
 * devices (such as pocl). Index N of {@code --device opencl:N} is a position in this list.
 * Discovery runs once per JVM; a missing OpenCL library or ICD loader is recorded as the reason
 * why no device exists, never thrown.
 *
 * <p>Thread-safe (immutable after class initialisation).
 */
final class OpenClDevices {
    private OpenClDevices() {}

    private static final class Holder {
        static final List<OpenCLDevice> DEVICES;
        static final String PROBLEM;

        static {
            List<OpenCLDevice> list = new ArrayList<>();
            String problem = null;
            try {
                for (Device.TYPE type : List.of(Device.TYPE.GPU, Device.TYPE.ACC, Device.TYPE.CPU)) {
                    list.addAll(OpenCLDevice.listDevices(type));
                }
            } catch (LinkageError | RuntimeException e) {
                problem = "the OpenCL runtime could not be loaded (" + e + ")";
                list.clear();
            }
            DEVICES = Collections.unmodifiableList(list);
            PROBLEM = problem;
        }
    }

    /** Devices in selection order (possibly empty). */
    static List<OpenCLDevice> all() {
        return Holder.DEVICES;
    }

    /** Why there is no device, when {@link #all()} is empty. */
    static String whyNone() {
        if (Holder.PROBLEM != null) {
            return Holder.PROBLEM;
        }
        return "no OpenCL device found (install an OpenCL driver: a GPU vendor's, or the CPU driver"
                + " pocl, Debian packages pocl-opencl-icd ocl-icd-libopencl1)";
    }

    /** Whether a device is a GPU or an accelerator (not a CPU driver). */
    static boolean isGpu(OpenCLDevice d) {
        return d.getType() == Device.TYPE.GPU || d.getType() == Device.TYPE.ACC;
    }

    /** One line describing a device. */
    static String describe(int index, OpenCLDevice d) {
        return String.format(Locale.ROOT, "OpenCL device %d: %s (%s, %s, %d compute units, %d MiB)",
                index, d.getName().trim(), d.getType(), d.getOpenCLPlatform().getName().trim(),
                d.getMaxComputeUnits(), d.getGlobalMemSize() >> 20);
    }
}
