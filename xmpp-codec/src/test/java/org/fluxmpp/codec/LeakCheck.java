package org.fluxmpp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaked a Netty buffer. The surefire configuration makes Netty build its leak detectors from
 * {@link RecordingDetector}, which records what the paranoid detector finds; after each test the garbage collector
 * runs and a tracked allocation makes the detector look at what was collected unreleased.
 */
public final class LeakCheck implements AfterEachCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        assertNoLeaks();
    }

    /** Collects garbage, lets the detector report, and fails on any leak found since the last call. */
    public static void assertNoLeaks() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(10);
            // Each tracked allocation polls the detector's queue of collected, unreleased buffers.
            for (int j = 0; j < 8; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
                PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
            }
        }
        List<String> found = new ArrayList<>();
        for (String s; (s = LEAKS.poll()) != null; ) {
            found.add(s);
        }
        assertThat(found).as("leaked buffers").isEmpty();
    }

    /** A leak detector that also records each leak it reports. */
    public static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        public RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        /** The constructor Netty looks for first; {@code maxActive} is unused by Netty itself. */
        public RecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
            this(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType);
            super.reportUntracedLeak(resourceType);
        }
    }
}
