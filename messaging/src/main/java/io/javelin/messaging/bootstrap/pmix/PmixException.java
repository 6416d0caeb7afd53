package io.javelin.messaging.bootstrap.pmix;

import io.javelin.messaging.bootstrap.BootstrapException;

/**
 * A PMIx call failed or did not return in time; {@link #status()} is the PMIx status code
 * ({@code PMIX_ERR_TIMEOUT} for a call that did not return within its limit).
 */
public final class PmixException extends BootstrapException
{
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param message what failed, with the PMIx status text.
     * @param status  the PMIx status code.
     */
    public PmixException(final String message, final int status)
    {
        super(message);
        this.status = status;
    }

    /**
     * @return the PMIx status code, e.g. -46 for {@code PMIX_ERR_NOT_FOUND}.
     */
    public int status()
    {
        return status;
    }
}
