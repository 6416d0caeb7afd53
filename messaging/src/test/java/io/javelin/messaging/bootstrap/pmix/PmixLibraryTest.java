package io.javelin.messaging.bootstrap.pmix;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PmixLibraryTest
{
    @Test
    void shouldNameTheFixWhenTheLibraryIsMissing()
    {
        final String reason = PmixLibrary.loadError("libpmix-not-installed.so.2");

        assertTrue(reason.startsWith("libpmix-not-installed.so.2 cannot be loaded ("), reason);
        assertTrue(reason.endsWith("install the PMIx client library (apt-get install libpmix2) or start the job " +
            "with javelin run -n N instead of a PMIx launcher"), reason);
    }

    @Test
    void shouldLoadTheInstalledLibraryWhenItIsThere()
    {
        final String reason = PmixLibrary.unavailableReason();
        if (null == System.getenv("CI") && null != reason)
        {
            Assumptions.abort("libpmix2 is not installed here: " + reason);
        }
        assertEquals(null, reason, "CI installs libpmix2 (.ci/run)");
        assertTrue(PmixValues.statusText(PmixLayouts.ERR_TIMEOUT).endsWith("(-24)"),
            PmixValues.statusText(PmixLayouts.ERR_TIMEOUT));
    }
}
