package io.javelin.jmh;

/**
 * The JVM flags every Javelin rank needs (the parent pom's {@code javelin.jvm.flags}), for the forks JMH
 * starts: {@code @Fork(jvmArgsAppend = {...})} takes compile-time constants only, so they are spelled here.
 */
public final class JvmFlags
{
    /** FFM downcalls (RDMA, cross-memory attach). */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Agrona's Unsafe access. */
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Agrona's Unsafe access. */
    public static final String OPEN_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Agrona's sun.misc.Unsafe memory access without warnings. */
    public static final String UNSAFE_MEMORY = "--sun-misc-unsafe-memory-access=allow";

    private JvmFlags()
    {
    }
}
