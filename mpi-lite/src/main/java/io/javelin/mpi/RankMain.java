package io.javelin.mpi;

/**
 * The body of one rank for {@link Javelin#runLocal(int, RankMain)}.
 */
@FunctionalInterface
public interface RankMain
{
    /**
     * @param javelin this rank's handle; closed by runLocal after this returns.
     * @throws Exception any failure, rethrown by runLocal.
     */
    void run(Javelin javelin) throws Exception;
}
