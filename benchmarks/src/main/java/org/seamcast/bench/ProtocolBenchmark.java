package org.seamcast.bench;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.seamcast.codec.protocol.CodecType;
import org.seamcast.codec.protocol.DecodeResult;
import org.seamcast.codec.protocol.FrameEncoder;
import org.seamcast.codec.protocol.Keyring;
import org.seamcast.codec.protocol.MessageAuthenticator;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MountName;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Encoding and validating one FRAME message of a 128 kbit/s MP3 frame (417 bytes), with CRC32C only or with the
 * HMAC-SHA256 tag too: the work every link does per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ProtocolBenchmark
{
    @Param({"false", "true"})
    public boolean signed;

    private final MountName mount = MountName.of("/live");
    private final FrameEncoder encoder = new FrameEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
    private final byte[] payload = new byte[417];
    private MessageAuthenticator authenticator;
    private MessageDecoder decoder;
    private long sequence;

    @Setup
    public void setUp()
    {
        final Keyring keyring = Keyring.of(1, "0123456789abcdef0123456789abcdef".getBytes()).withMacRequired(signed);
        authenticator = signed ? keyring.newAuthenticator() : null;
        decoder = new MessageDecoder(signed ? keyring.newAuthenticator() : null);
    }

    @Benchmark
    public int encodeFrame()
    {
        return encoder.wrap(buffer, 0, mount).encoderId(1).priority(0).epoch(7).sequence(sequence++)
            .timestampUs(1_750_000_000_000_000L + sequence * 26_122).codec(CodecType.MP3).sampleRate(44_100)
            .samplesInFrame(1152).cleanSwitch(true).payload(payload, 0, payload.length).finish(authenticator);
    }

    @Benchmark
    public long encodeAndDecodeFrame()
    {
        final int length = encodeFrame();
        if (decoder.decode(buffer, 0, length) != DecodeResult.OK)
        {
            throw new IllegalStateException("decode failed");
        }
        return decoder.frame().sequence();
    }
}
