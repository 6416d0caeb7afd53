package io.javelin.launcher.compare;

import java.util.List;

/**
 * A data path both sides of a comparison run on: Javelin with one transport, Open MPI with the matching BTL
 * (byte transfer layer). The {@code ob1} PML is forced on the MPI side (see {@link NativeMpi}) so that the BTL
 * chosen here is the one used.
 */
public enum ComparePath
{
    /**
     * Within the host through shared memory: Javelin's Aeron transport (IPC publications, large messages in
     * one copy by cross-memory attach) against Open MPI's {@code vader} BTL (shared memory, CMA single copy).
     */
    SHM("shm", "aeron", List.of("--mca", "btl", "vader,self")),

    /**
     * TCP over the loopback interface: Javelin's TCP transport against Open MPI's {@code tcp} BTL on {@code lo}.
     */
    TCP("tcp", "tcp", List.of("--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "lo"));

    private final String label;
    private final String javelinTransport;
    private final List<String> mpirunOptions;

    ComparePath(final String label, final String javelinTransport, final List<String> mpirunOptions)
    {
        this.label = label;
        this.javelinTransport = javelinTransport;
        this.mpirunOptions = mpirunOptions;
    }

    /**
     * @return the name on the command line and in the table, e.g. {@code shm}.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return Javelin's {@code --transport} for this path.
     */
    public String javelinTransport()
    {
        return javelinTransport;
    }

    /**
     * @return the {@code mpirun} options that select the matching Open MPI BTL.
     */
    public List<String> mpirunOptions()
    {
        return mpirunOptions;
    }
}
