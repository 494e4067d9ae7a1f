package org.seamcast.edge.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.seamcast.codec.audio.AudioFrameHeader;
import org.seamcast.codec.audio.HeaderStatus;
import org.seamcast.codec.protocol.MountName;
import org.seamcast.edge.engine.CyclingFallbackFrameSource;
import org.seamcast.edge.engine.FallbackFrameSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a mount plays while no encoder has audio: its configured {@link FallbackFile}, looped from its first frame at
 * each fallback run, when the file's format is the mount's; otherwise silence in the mount's format. The file is
 * checked against the format of the mount's frames as they arrive (the mount's format is not known before), again
 * whenever that format changes; a mismatch is logged once per change, naming both formats, and silence plays.
 *
 * <p>Threading: the playout thread only. Checking a frame's format allocates only when the format changes.
 */
final class MountFallback implements FallbackFrameSource
{
    private static final Logger LOG = LoggerFactory.getLogger(MountFallback.class);

    private final MountName mount;
    private final SilenceFallback silence = new SilenceFallback();
    private final FallbackFile file;
    private final CyclingFallbackFrameSource fileFrames;
    private final AudioFrameHeader header = new AudioFrameHeader();
    private FallbackFrameSource current = silence;
    private long mountFormatKey = -1;
    private String refusal;

    /**
     * @param mount the mount, for logs.
     * @param file  the station's file for the mount, or null for silence only.
     */
    MountFallback(final MountName mount, final FallbackFile file)
    {
        this.mount = mount;
        this.file = file;
        this.fileFrames = file == null ? null : new CyclingFallbackFrameSource(file.frames(), file.frameDurationUs());
    }

    /**
     * Learns the mount's format from a frame it received; cheap when the format has not changed.
     */
    void learnFormat(final DirectBuffer buffer, final int offset, final int length)
    {
        silence.learnFormat(buffer, offset, length);
        if (file == null || header.wrap(buffer, offset, length) != HeaderStatus.VALID)
        {
            return;
        }
        final long key = FallbackFile.formatKey(header);
        if (key == mountFormatKey)
        {
            return;
        }
        mountFormatKey = key;
        if (key == file.formatKey())
        {
            if (current != fileFrames)
            {
                LOG.info("fallback for {} is {} ({})", mount, file.file(), file.format());
            }
            current = fileFrames;
            refusal = null;
        }
        else
        {
            refusal = "fallback file " + file.file() + " is " + file.format() + " but " + mount + " is "
                + FallbackFile.describe(header) + ": silence plays instead when every encoder is gone";
            LOG.error(refusal);
            current = silence;
        }
    }

    /**
     * @return why the configured file is not used, or null (no file, or it matches the mount).
     */
    String refusal()
    {
        return refusal;
    }

    /**
     * @return the configured file's name, or null.
     */
    String fileName()
    {
        return file == null ? null : String.valueOf(file.file().getFileName());
    }

    /**
     * @return whether the file (rather than silence) plays in fallback now.
     */
    boolean playsFile()
    {
        return current == fileFrames && fileFrames != null;
    }

    @Override
    public int writeNextFrame(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        return current.writeNextFrame(buffer, offset, capacity);
    }

    @Override
    public int maxFrameLength()
    {
        return fileFrames == null ? silence.maxFrameLength() :
            Math.max(silence.maxFrameLength(), fileFrames.maxFrameLength());
    }

    @Override
    public int lastFrameDurationUs()
    {
        return current.lastFrameDurationUs();
    }

    @Override
    public void onFallbackStart()
    {
        if (fileFrames != null)
        {
            fileFrames.onFallbackStart();
        }
    }
}
