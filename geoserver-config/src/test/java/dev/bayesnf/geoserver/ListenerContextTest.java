package dev.bayesnf.geoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ListenerContextTest {

    @Test
    void testProgressAndMessagesGoToTheListenerClampedAndWithoutRepeats() {
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        ListenerContext ctx = new ListenerContext("job", Path.of("x"), l, null);
        ctx.progress(-5, "start");
        ctx.progress(40.5, "epoch 1");
        ctx.progress(41, "epoch 1");
        ctx.progress(250, "done");
        ctx.progress(Double.NaN, "done");
        assertEquals(List.of(0f, 40.5f, 41f, 100f, 0f), l.progress);
        assertEquals(List.of("start", "epoch 1", "done"), l.tasks);
    }

    @Test
    void testCancellationIsTheListenersFlag() {
        Fakes.RecordingListener l = new Fakes.RecordingListener();
        ListenerContext ctx = new ListenerContext("job", Path.of("x"), l, null);
        assertFalse(ctx.isCancelled());
        l.setCanceled(true);
        assertTrue(ctx.isCancelled());
        assertEquals("", ctx.publishLayer("t", Path.of("a.tif")), "GeoServer publishes through gs:Import");
    }

    @Test
    void testDataDirectoryComesFromPropertyEnvironmentOrGeoServerDataDir() {
        assertEquals(Path.of("/p"), PluginEnvironment.resolveDataDir(k -> k.equals("bayesnf.dataDir") ? "/p" : null,
                java.util.Map.of("BAYESNF_DATA_DIR", "/e")));
        assertEquals(Path.of("/e"), PluginEnvironment.resolveDataDir(k -> null, java.util.Map.of("BAYESNF_DATA_DIR", "/e")));
        assertEquals(Path.of("/gs", "bayesnf"), PluginEnvironment.resolveDataDir(k -> null,
                java.util.Map.of("GEOSERVER_DATA_DIR", "/gs")));
        assertEquals(Path.of("/home/u", ".bayesnf", "geoserver"), PluginEnvironment.resolveDataDir(
                k -> k.equals("user.home") ? "/home/u" : null, java.util.Map.of()));
    }
}
