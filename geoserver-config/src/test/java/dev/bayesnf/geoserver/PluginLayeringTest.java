package dev.bayesnf.geoserver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The plugin uses the core model and the process layer of wps-process only (processes, rasters,
 * CRSs), never the service around them: so none of the server's libraries (Jetty, H2, PostgreSQL,
 * picocli, Spring's crypto) is needed inside GeoServer, and the {@code -Pgeoserver} copy step
 * leaves them out.
 */
class PluginLayeringTest {
    @Test
    void thePluginNeedsOnlyTheProcessLayer() {
        classes().that().resideInAPackage("dev.bayesnf.geoserver..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.bayesnf.geoserver..", "dev.bayesnf.core..",
                        "dev.bayesnf.service.process..", "dev.bayesnf.service.raster..", "dev.bayesnf.service.geo..",
                        "java..", "javax..", "org.geotools..", "org.geoapi..", "org.opengis..", "org.locationtech.jts..",
                        "org.slf4j..", "org.apache.sis..", "tech.units..", "javax.measure..",
                        "org.apache.commons.csv..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.bayesnf.geoserver"));
    }
}
