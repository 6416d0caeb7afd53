package io.javelin.benchmarks;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --window}: how many messages the bandwidth benchmarks keep in flight (OSU's {@code -W}).
 */
public final class WindowOption
{
    /** OSU's default window: 64 messages. */
    public static final int DEFAULT_WINDOW = 64;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private int window = DEFAULT_WINDOW;

    @Option(names = "--window", paramLabel = "N",
        description = "messages in flight per iteration (default: " + DEFAULT_WINDOW + ")")
    void window(final int messages)
    {
        if (messages < 1)
        {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--window': " + messages +
                " (needs at least 1)");
        }
        this.window = messages;
    }

    /**
     * @return messages in flight per iteration.
     */
    public int window()
    {
        return window;
    }
}
