package org.seamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seamcast.codec.audio.Ffprobe;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProbeCommandTest
{
    private static final Path FIXTURES = Path.of("..", "frame-codec", "src", "test", "resources", "fixtures");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    static List<Path> fixtures() throws IOException
    {
        try (Stream<Path> files = Files.list(FIXTURES))
        {
            final List<Path> paths = files
                .filter(path -> path.toString().matches(".*\\.(mp3|mp2|aac)$"))
                .sorted()
                .collect(Collectors.toList());
            assertThat(paths).as("fixtures in %s", FIXTURES.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(10);
            return paths;
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void shouldAgreeWithFfprobeOnFramesAndDuration(final Path fixture) throws IOException
    {
        final int exitCode = run("probe", "--json", fixture.toString());

        assertThat(exitCode).as(err.toString()).isZero();
        final String json = out.toString().trim();
        final Ffprobe ffprobe = Ffprobe.of(fixture);
        assertThat(json).startsWith("{").endsWith("}");
        assertThat(Long.parseLong(field(json, "frames"))).isEqualTo(ffprobe.packets());
        assertThat(Double.parseDouble(field(json, "durationSeconds"))).isCloseTo(ffprobe.durationSeconds(), within(1e-6));
        assertThat(field(json, "format")).isEqualTo(fixture.toString().endsWith(".aac") ? "\"adts\"" : "\"mp3\"");
        assertThat(Integer.parseInt(field(json, "sampleRate"))).isIn(11025, 22050, 44100, 48000);
        assertThat(Integer.parseInt(field(json, "channels"))).isIn(1, 2);
        assertThat(Long.parseLong(field(json, "skippedBytes"))).isNotNegative();
        final JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("frames").asLong()).isEqualTo(ffprobe.packets());
        assertThat(parsed.get("bitrateKbps").isNumber()).isTrue();
        assertThat(parsed.get("codec").asText()).isNotEmpty();
        assertThat(parsed.size()).isEqualTo(11);
    }

    @Test
    void shouldPrintAReadableSummary()
    {
        final int exitCode = run("probe", FIXTURES.resolve("mp3-mpeg1-44100-128k-cbr-stereo.mp3").toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString())
            .contains("format:      mp3 (MPEG-1 Layer III)")
            .contains("sample rate: 44100 Hz")
            .contains("channels:    2")
            .contains("bitrate:     128.0 kb/s (mean)")
            .contains("frames:      116")
            .contains("duration:    3.030204 s");
    }

    @Test
    void shouldReadStandardInputWhenGivenADash() throws IOException
    {
        final InputStream stdin = System.in;
        try
        {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(FIXTURES.resolve("aac-lc-44100-stereo.aac"))));
            final int exitCode = run("probe", "--json", "-");

            assertThat(exitCode).isZero();
            assertThat(field(out.toString(), "frames")).isEqualTo("131");
            assertThat(field(out.toString(), "format")).isEqualTo("\"adts\"");
        }
        finally
        {
            System.setIn(stdin);
        }
    }

    @Test
    void shouldExitNonZeroWithAClearMessageWhenThereAreNoAudioFrames(@TempDir final Path directory) throws IOException
    {
        final Path text = directory.resolve("notes.txt");
        Files.writeString(text, "this is not audio\n".repeat(100));

        final int exitCode = run("probe", "--json", text.toString());

        assertThat(exitCode).isEqualTo(ProbeCommand.EXIT_NO_FRAMES);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("no MP3 or ADTS audio frames");
    }

    @Test
    void shouldExitNonZeroWhenTheFileCannotBeRead(@TempDir final Path directory)
    {
        final int exitCode = run("probe", directory.resolve("missing.mp3").toString());

        assertThat(exitCode).isEqualTo(ProbeCommand.EXIT_UNREADABLE);
        assertThat(err.toString()).contains("cannot read");
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = SeamcastCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private static String field(final String json, final String name)
    {
        final Matcher matcher = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[-0-9.eE]+)").matcher(json);
        assertThat(matcher.find()).as("field %s in %s", name, json).isTrue();
        return matcher.group(1);
    }
}
