package io.javelin.launcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ssh command that starts one rank on another host, and what the launcher writes to its standard input.
 *
 * <p>The rank's environment (with the job secret) travels through ssh's standard input, never on a command
 * line, where {@code ps} on the remote host would show it. The remote shell reads {@code NAME=value} lines up to
 * an empty line, exports them, changes to the launcher's working directory, and starts the JVM in the
 * background. A watcher then waits for the end of ssh's standard input, which comes when the launcher closes it
 * (stopping the job), when the launcher dies, or when the ssh connection drops: it sends the JVM SIGTERM and,
 * after {@link #KILL_AFTER_SECONDS}, SIGKILL, so no remote JVM outlives its launcher. The shell exits with the
 * JVM's exit status, which ssh returns (255 is ssh's own failure).
 *
 * <pre>
 *   ssh [options] -o BatchMode=yes -o ConnectTimeout=30 HOST sh -c '
 *     while IFS= read -r l &amp;&amp; [ -n "$l" ]; do export "$l"; done     # environment from stdin
 *     cd DIR; exec 3&lt;&amp;0 &lt;/dev/null; JAVA ARGS... &amp; p=$!
 *     { cat &lt;&amp;3; kill -TERM $p; ...; kill -KILL $p; } &gt;/dev/null 2&gt;&amp;1 &amp;   # watcher
 *     exec 3&lt;&amp;-; wait $p 2&gt;/dev/null'
 * </pre>
 *
 * The script is one line of POSIX sh, quoted so that the remote login shell (sh, bash, zsh or csh) passes it
 * to {@code sh} unchanged.
 */
final class RemoteRankCommand
{
    /** Seconds between SIGTERM and SIGKILL of a remote JVM whose launcher went away. */
    static final int KILL_AFTER_SECONDS = 5;

    private RemoteRankCommand()
    {
    }

    /**
     * @param ssh              ssh and the user's options; {@code BatchMode=yes} and {@code ConnectTimeout=30}
     *                         follow them, so the user's own {@code -o BatchMode=no} wins (ssh keeps the first
     *                         value of an option).
     * @param host             where to start the rank.
     * @param jvmCommand       the rank's JVM command line (paths as on this host: shared file system).
     * @param workingDirectory the launcher's working directory, which the rank starts in if it exists there.
     * @return the local command line.
     */
    static List<String> command(
        final List<String> ssh, final String host, final List<String> jvmCommand, final String workingDirectory)
    {
        final List<String> command = new ArrayList<>(ssh);
        command.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=30", host));
        command.add("sh -c " + quote(script(jvmCommand, workingDirectory)));
        return command;
    }

    /**
     * @param environment variables for the rank; names are shell names, values have no line breaks.
     * @return the lines the remote shell reads, ending with an empty line.
     */
    static byte[] environmentInput(final Map<String, String> environment)
    {
        final StringBuilder input = new StringBuilder();
        environment.forEach((name, value) ->
        {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
            {
                throw new IllegalArgumentException("cannot pass " + name + " through ssh's input");
            }
            input.append(name).append('=').append(value).append('\n');
        });
        return input.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param words a command line such as {@code ssh -p 2222 -o "ProxyJump gw"}: words split at blanks,
     *              single or double quotes keep blanks in a word.
     * @return the words.
     */
    static List<String> splitWords(final String words)
    {
        final List<String> result = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < words.length(); i++)
        {
            final char c = words.charAt(i);
            if (0 != quote)
            {
                if (c == quote)
                {
                    quote = 0;
                }
                else
                {
                    word.append(c);
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
                inWord = true;
            }
            else if (Character.isWhitespace(c))
            {
                if (inWord)
                {
                    result.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        if (0 != quote)
        {
            throw new InvalidJobException("--ssh '" + words + "': a quote is not closed");
        }
        if (inWord)
        {
            result.add(word.toString());
        }
        return result;
    }

    /**
     * @param word any text.
     * @return the text as one POSIX shell word: in single quotes, each {@code '} written as {@code '\''}.
     */
    static String quote(final String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String script(final List<String> jvmCommand, final String workingDirectory)
    {
        final StringBuilder jvm = new StringBuilder();
        for (final String word : jvmCommand)
        {
            jvm.append(quote(word)).append(' ');
        }
        final String directory = quote(workingDirectory);
        return "while IFS= read -r l && [ -n \"$l\" ]; do export \"$l\"; done; " +
            "cd " + directory + " 2>/dev/null || echo \"javelin: no directory \"" + directory +
            "\" on $(hostname): the rank runs in $(pwd)\" >&2; " +
            "exec 3<&0 </dev/null; " +
            jvm + "& p=$!; " +
            "{ cat <&3; kill -TERM $p; i=0; " +
            "while kill -0 $p && [ $i -lt " + KILL_AFTER_SECONDS + " ]; do sleep 1; i=$((i+1)); done; " +
            "kill -KILL $p; } >/dev/null 2>&1 & " +
            "exec 3<&-; wait $p 2>/dev/null";   // no "Terminated" from sh: the launcher says what it stopped
    }
}
