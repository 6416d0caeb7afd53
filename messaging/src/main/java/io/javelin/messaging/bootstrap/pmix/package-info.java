/**
 * Joining jobs started by PMIx launchers (Open MPI's {@code mpirun}, Slurm's {@code srun --mpi=pmix}): a PMIx
 * client bound to the system's {@code libpmix.so.2} through the JDK's foreign function API, with no Javelin
 * daemon. Struct layouts and constants are checked against the installed headers by {@code PmixLayoutTest}.
 */
package io.javelin.messaging.bootstrap.pmix;
