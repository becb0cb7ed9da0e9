package dev.bayesnf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of wps-process, checked on the compiled classes at every build (each
 * package's {@code package-info} says the same in words):
 *
 * <pre>
 *   cli ──────────────┐
 *   service (assembly)┼─► wps, ogcapi, wms, admin, results ─► http ─► security ─► jobs (storage)
 *                     │        │        │                                 │
 *                     │        └────────┴───► jobs ──► layers            │
 *                     └──────────────────────► process, raster, geo, xml ◄┘   (the process layer)
 * </pre>
 *
 * The process layer (processes, rasters, CRSs, CSV tables) knows nothing of HTTP, Jetty, the
 * database, picocli or the service around it: the GeoServer plugin runs it alone.
 */
class LayeringTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.bayesnf");

    /** Libraries and packages of the server around the processes. */
    private static final String[] SERVER = {"dev.bayesnf.cli..", "dev.bayesnf.service", "dev.bayesnf.service.http..",
        "dev.bayesnf.service.jobs..", "dev.bayesnf.service.wps..", "dev.bayesnf.service.ogcapi..",
        "dev.bayesnf.service.wms..", "dev.bayesnf.service.security..", "dev.bayesnf.service.admin..",
        "dev.bayesnf.service.layers..", "dev.bayesnf.service.results..", "org.eclipse.jetty..", "org.h2..", "org.postgresql..", "picocli..",
        "me.tongfei..", "org.springframework..", "java.sql.."};

    private static final String[] FRONT_ENDS = {"dev.bayesnf.service.wps..", "dev.bayesnf.service.ogcapi..",
        "dev.bayesnf.service.wms..", "dev.bayesnf.service.admin..", "dev.bayesnf.service.results.."};

    @Test
    void theProcessLayerStandsAlone() {
        noClasses().that().resideInAnyPackage("dev.bayesnf.service.process..", "dev.bayesnf.service.raster..",
                "dev.bayesnf.service.geo..", "dev.bayesnf.service.xml..", "dev.bayesnf.service.formats..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        java.util.Arrays.stream(SERVER).filter(p -> !p.equals("java.sql..")).toArray(String[]::new))
                .because("the GeoServer plugin runs the processes without the service around them")
                .check(CLASSES);
        // JDBC only to read GeoPackage files, never the job database
        noClasses().that().resideInAnyPackage("dev.bayesnf.service.process..", "dev.bayesnf.service.raster..",
                "dev.bayesnf.service.geo..", "dev.bayesnf.service.xml..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.bayesnf.service.formats..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bayesnf.service.process..",
                        "dev.bayesnf.service.raster..")
                .because("file formats know no process: the processes read through them")
                .check(CLASSES);
    }

    @Test
    void jobsServeTheFrontEndsWithoutKnowingThem() {
        noClasses().that().resideInAnyPackage("dev.bayesnf.service.jobs..", "dev.bayesnf.service.layers..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(FRONT_ENDS, "dev.bayesnf.service.http..",
                        "dev.bayesnf.cli..", "org.eclipse.jetty..", "picocli.."))
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.bayesnf.service.layers..")
                .should().dependOnClassesThat().resideInAPackage("dev.bayesnf.service.jobs..")
                .check(CLASSES);
    }

    @Test
    void httpAndSecurityKnowNoFrontEnd() {
        noClasses().that().resideInAnyPackage("dev.bayesnf.service.http..", "dev.bayesnf.service.security..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(FRONT_ENDS, "dev.bayesnf.service.process..",
                        "dev.bayesnf.service.raster..", "dev.bayesnf.cli.."))
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.bayesnf.service.http..")
                .should().dependOnClassesThat().resideInAPackage("dev.bayesnf.service.jobs..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.bayesnf.service.security..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bayesnf.service.http..", "org.eclipse.jetty..")
                .check(CLASSES);
    }

    @Test
    void frontEndsAreIndependentOfEachOtherAndOfTheCommandLine() {
        for (String front : FRONT_ENDS) {
            String[] others = java.util.Arrays.stream(FRONT_ENDS).filter(f -> !f.equals(front)).toArray(String[]::new);
            noClasses().that().resideInAPackage(front).should().dependOnClassesThat()
                    .resideInAnyPackage(concat(others, "dev.bayesnf.cli..", "picocli.."))
                    .check(CLASSES);
        }
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("dev.bayesnf.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "dev.bayesnf.cli..")
                .check(CLASSES);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
