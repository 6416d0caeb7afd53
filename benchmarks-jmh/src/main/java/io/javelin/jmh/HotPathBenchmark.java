package io.javelin.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The run settings every Javelin hot-path benchmark shares, inherited by its subclasses (JMH reads these
 * annotations from superclasses): the average time of one operation in nanoseconds, 3 warm-up and 5 measured
 * iterations of 1 s, one fork with the JVM flags of a rank ({@link JvmFlags}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC,
    JvmFlags.UNSAFE_MEMORY})
public abstract class HotPathBenchmark
{
}
