package io.javelin.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Copies one output stream of a rank to the launcher's stream line by line, so that lines of different
 * ranks never interleave, optionally prefixed {@code [rank] }. Bytes are copied unchanged (no decoding).
 *
 * <p>Runs on its own thread until the rank closes the stream. Each line is written with one call on the
 * target {@link PrintStream}, which serialises callers.
 */
final class OutputForwarder implements Runnable
{
    /** A line longer than this is written in pieces (prefixed only at its start). */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream source;
    private final PrintStream target;
    private final byte[] prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean atLineStart = true;
    private volatile String lastLine = "";

    OutputForwarder(final InputStream source, final PrintStream target, final String prefix)
    {
        this.source = source;
        this.target = target;
        this.prefix = null == prefix ? new byte[0] : prefix.getBytes(Charset.defaultCharset());
    }

    @Override
    public void run()
    {
        final byte[] buffer = new byte[8192];
        try (InputStream in = source)
        {
            int read;
            while ((read = in.read(buffer)) >= 0)
            {
                int start = 0;
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        line.write(buffer, start, i + 1 - start);
                        emit(true);
                        start = i + 1;
                    }
                }
                line.write(buffer, start, read - start);
                if (line.size() >= MAX_LINE_BYTES)
                {
                    emit(false);
                }
            }
        }
        catch (final IOException ignore)
        {
            // the rank's pipe broke (it was killed): what was read is written below
        }
        if (line.size() > 0)
        {
            emit(false);
        }
    }

    /**
     * @return the last line forwarded, without prefix and line break ("" before the first); any thread.
     */
    String lastLine()
    {
        return lastLine;
    }

    private void emit(final boolean lineComplete)
    {
        final String text = line.toString(Charset.defaultCharset()).strip();
        if (!text.isEmpty())
        {
            lastLine = text;
        }
        final byte[] bytes;
        if (atLineStart && prefix.length > 0)
        {
            final ByteArrayOutputStream prefixed = new ByteArrayOutputStream(prefix.length + line.size());
            prefixed.writeBytes(prefix);
            prefixed.writeBytes(line.toByteArray());
            bytes = prefixed.toByteArray();
        }
        else
        {
            bytes = line.toByteArray();
        }
        line.reset();
        atLineStart = lineComplete;
        target.write(bytes, 0, bytes.length);
        target.flush();
    }
}
