package io.javelin.messaging.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The job secret of a plain-srun step, which every bootstrap and transport handshake checks. Plain srun gives
 * the tasks no private channel, so there are two ways ({@link #SECRET_PROP_NAME}):
 *
 * <ul>
 *   <li>{@code munge} (the default where the {@code munge} and {@code unmunge} commands exist): rank 0 draws
 *       a random secret and hands it out in a MUNGE credential restricted to the job's user, as the first
 *       frame its bootstrap server sends ({@link BootstrapProtocol#GREETING}). Only that user's processes can
 *       decode it, and they accept it only if that user encoded it for this step. A secret against other
 *       users; processes of the same user are trusted (they could read the ranks' memory anyway).</li>
 *   <li>{@code derived}: 64 bits of SHA-256 over cluster, job id, step id and user id, which every task
 *       computes alone. A collision guard (it keeps jobs and steps that land on the same port apart), not a
 *       secret: anyone who can list the job can compute it.</li>
 * </ul>
 *
 * @param munge  whether the secret travels in a MUNGE credential.
 * @param socket munged's socket, or null for munge's default.
 */
record SlurmJobSecret(boolean munge, String socket)
{
    /** {@code auto} (munge where its commands exist), {@code munge} or {@code derived}. */
    static final String SECRET_PROP_NAME = "javelin.slurm.secret";
    /** munged's socket, when it is not munge's default (as {@code AuthInfo=socket=...} in slurm.conf). */
    static final String MUNGE_SOCKET_PROP_NAME = "javelin.slurm.munge.socket";
    private static final String PAYLOAD_PREFIX = "javelin-slurm-secret ";

    static SlurmJobSecret of(final Map<String, String> environment)
    {
        final String mode = SlurmRendezvous.setting(environment, SECRET_PROP_NAME);
        final String socket = SlurmRendezvous.setting(environment, MUNGE_SOCKET_PROP_NAME);
        final String chosen = null == mode ? "auto" : mode.toLowerCase(Locale.ROOT);
        return switch (chosen)
        {
            case "auto" -> new SlurmJobSecret(MungeCredential.commandsAvailable(), socket);
            case "munge" -> new SlurmJobSecret(true, socket);
            case "derived" -> new SlurmJobSecret(false, socket);
            default -> throw new BootstrapException(SECRET_PROP_NAME + "='" + mode + "' is not one of auto, munge, " +
                "derived");
        };
    }

    /**
     * @return {@code "munge"} or {@code "derived"}, for messages.
     */
    String mode()
    {
        return munge ? "munge" : "derived";
    }

    /**
     * Rank 0: the secret its server checks.
     *
     * @param variables the step.
     * @return a random secret (munge) or the derived one.
     */
    long rankZeroSecret(final SlurmVariables variables)
    {
        return munge ? new SecureRandom().nextLong() : derived(variables);
    }

    /**
     * Rank 0: what its server sends every connection first.
     *
     * @param variables the step.
     * @param secret    the secret from {@link #rankZeroSecret(SlurmVariables)}.
     * @return the MUNGE credential carrying the secret, or null (derived).
     */
    String rankZeroGreeting(final SlurmVariables variables, final long secret)
    {
        if (!munge)
        {
            return null;
        }
        return MungeCredential.encode(PAYLOAD_PREFIX + variables.step() + " " + Long.toHexString(secret),
            variables.uid(), socket);
    }

    /**
     * Other ranks: how to learn the secret from rank 0's greeting.
     *
     * @param variables the step.
     * @return a function from greeting to secret that throws {@link BootstrapException} when the greeting
     *         does not come from this step's user for this step; null when the secret is derived.
     */
    ToLongFunction<String> fromGreeting(final SlurmVariables variables)
    {
        if (!munge)
        {
            return null;
        }
        return (greeting) ->
        {
            final MungeCredential credential = MungeCredential.decode(greeting, socket);
            if (!credential.uid().equals(variables.uid()))
            {
                throw new BootstrapException("the server's credential was encoded by uid " + credential.uid() +
                    ", not by this job's user " + variables.uid());
            }
            final String expected = PAYLOAD_PREFIX + variables.step() + " ";
            if (!credential.payload().startsWith(expected))
            {
                throw new BootstrapException("the server's credential belongs to another step of this user");
            }
            try
            {
                return Long.parseUnsignedLong(credential.payload().substring(expected.length()).strip(), 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new BootstrapException("the server's credential carries no job secret", ex);
            }
        };
    }

    /**
     * @param variables the step.
     * @return the secret every task computes alone (collision guard).
     */
    static long derived(final SlurmVariables variables)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            final String material = "javelin-slurm-bootstrap\0" + variables.cluster() + "\0" + variables.jobId() +
                "\0" + variables.stepId() + "\0" + variables.uid();
            final byte[] digest = sha.digest(material.getBytes(StandardCharsets.UTF_8));
            long secret = 0;
            for (int i = 0; i < Long.BYTES; i++)
            {
                secret = (secret << 8) | (digest[i] & 0xFF);
            }
            return secret;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java runtime has SHA-256", ex);
        }
    }
}
