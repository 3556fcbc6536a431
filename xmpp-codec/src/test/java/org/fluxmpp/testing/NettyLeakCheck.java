package org.fluxmpp.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector (run at PARANOID by the build) reports a buffer that was never
 * released. Registered for every test class through JUnit's extension auto-detection; installs a recording leak
 * detector factory before any buffer class initialises.
 *
 * <p>Netty reports a leak when the garbage collector has reclaimed an unreleased buffer and the detector next tracks
 * an allocation, so after each class this runs the collector and allocates until reports have had their chance.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }

    /** Runs the collector, lets the detector look, and returns (and forgets) the leaks reported so far. */
    public static List<String> collect() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            for (int j = 0; j < 20; j++) {
                ByteBuf probe = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
                probe.release();
            }
        }
        List<String> out = new ArrayList<>(LEAKS);
        LEAKS.removeAll(out);
        return out;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add("LEAK: " + resourceType + records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add("LEAK: " + resourceType + " (no records)");
                }
            };
        }
    }
}
