package org.seamcast.ingest.source;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.seamcast.ingest.source.MetadataRequest.Form;
import org.seamcast.ingest.source.MetadataRequest.Refusal;
import org.seamcast.ingest.source.MetadataRequest.Update;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way encoders and automation send a title, and what hostile clients send instead.
 */
class MetadataRequestTest
{
    @Test
    void shouldTakeSongAsTheTitle()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Artist%20-%20Title"))
            .isEqualTo(new Update(Form.ICECAST, "/live", "Artist - Title", null, null));
    }

    @Test
    void shouldJoinArtistAndTitleAsIcecastDoes()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&artist=Nina%20Simone&title=Feeling%20Good").title())
            .isEqualTo("Nina Simone - Feeling Good");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&title=T&artist=A").title()).isEqualTo("A - T");
    }

    @Test
    void shouldLeaveOutAnEmptyArtistOrTitleRatherThanADanglingSeparator()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&artist=&title=Jingle").title()).isEqualTo("Jingle");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&artist=Station&title=").title()).isEqualTo("Station");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&artist=&title=").title()).isEmpty();
    }

    @Test
    void shouldPreferSongOverArtistAndTitle()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&artist=A&title=T&song=S").title()).isEqualTo("S");
    }

    @Test
    void shouldClearTheTitleWithAnEmptySong()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=").title()).isEmpty();
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song").title()).isEmpty();
    }

    @Test
    void shouldReadPlusAsASpaceAndKeepEncodedPlus()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=A+%2B+B").title()).isEqualTo("A + B");
    }

    @Test
    void shouldDecodeUtf8ByDefault()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Caf%C3%A9%20%E6%97%A5%E6%9C%AC%20%F0%9F%8E%B5")
            .title()).isEqualTo("Caf\u00e9 \u65e5\u672c \uD83C\uDFB5");
    }

    @Test
    void shouldReadInvalidUtf8AsLatin1()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Caf%E9%20M%FCller").title())
            .isEqualTo("Caf\u00e9 M\u00fcller");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Caf%E9&charset=UTF-8").title())
            .as("a client that says UTF-8 but sends Latin-1").isEqualTo("Caf\u00e9");
    }

    @Test
    void shouldDecodeInTheCharsetTheClientNames()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Caf%E9&charset=ISO-8859-1").title())
            .isEqualTo("Caf\u00e9");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=Caf%C3%A9&charset=ISO-8859-1").title())
            .as("UTF-8 bytes declared Latin-1 are read as Latin-1, as declared").isEqualTo("Caf\u00c3\u00a9");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=%80%20Euro&charset=windows-1252").title())
            .isEqualTo("\u20ac Euro");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=%93%FA%96%7B&charset=Shift_JIS").title())
            .isEqualTo("\u65e5\u672c");
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=x&charset=latin1").title()).isEqualTo("x");
    }

    @Test
    void shouldDecodeArtistTitleAndUrlInTheNamedCharset()
    {
        final Update update = update(Form.ICECAST,
            "mode=updinfo&mount=/live&artist=Bj%F6rk&title=J%F3ga&url=http://x/%E9&charset=ISO-8859-1");
        assertThat(update.title()).isEqualTo("Bj\u00f6rk - J\u00f3ga");
        assertThat(update.url()).isEqualTo("http://x/\u00e9");
    }

    @Test
    void shouldKeepRawBytesAnOldEncoderDidNotEncode()
    {
        assertThat(update(Form.SHOUTCAST, "mode=updinfo&pass=pw&song=Caf\u00e9 del Mar").title())
            .as("a raw Latin-1 byte and raw spaces").isEqualTo("Caf\u00e9 del Mar");
    }

    @Test
    void shouldTakeTheFirstOfARepeatedParameter()
    {
        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=first&song=second").title()).isEqualTo("first");
    }

    @Test
    void shouldReadTheShoutcastFormWithAndWithoutAMount()
    {
        assertThat(update(Form.SHOUTCAST, "mode=updinfo&song=Now%20Playing&pass=s3cret"))
            .isEqualTo(new Update(Form.SHOUTCAST, null, "Now Playing", null, "s3cret"));
        assertThat(update(Form.SHOUTCAST, "mode=updinfo&song=x&pass=p&mount=/backup").mount()).isEqualTo("/backup");
    }

    @Test
    void shouldKnowWhichPathsCarryWhichForm()
    {
        assertThat(Form.of("/admin/metadata")).isEqualTo(Form.ICECAST);
        assertThat(Form.of("/admin/metadata.xsl")).isEqualTo(Form.ICECAST);
        assertThat(Form.of("/admin.cgi")).isEqualTo(Form.SHOUTCAST);
        assertThat(Form.of("/admin/stats")).isNull();
    }

    @Test
    void shouldRefuseWhatIcecastRefusesWithItsStatus()
    {
        assertThat(refusal(Form.ICECAST, "mode=updinfo&song=x")).isEqualTo(new Refusal(400, "missing parameter mount"));
        assertThat(refusal(Form.ICECAST, "mount=/live&song=x").status()).isEqualTo(400);
        assertThat(refusal(Form.ICECAST, "mount=/live&song=x").message()).contains("mode");
        assertThat(refusal(Form.ICECAST, "mode=stats&mount=/live&song=x"))
            .as("Icecast answers an unknown mode with 200 and <return>0</return>")
            .isEqualTo(new Refusal(200, "No such action: mode=stats (only updinfo)"));
        assertThat(refusal(Form.SHOUTCAST, "mode=stats&song=x&pass=p").status()).isEqualTo(400);
    }

    @Test
    void shouldRefuseAnUpdateWithoutATitleInsteadOfPretendingToSucceed()
    {
        for (final String query : new String[] {"mode=updinfo&mount=/live", "mode=updinfo&mount=/live&artist=A",
            "mode=updinfo&mount=/live&title=T", "mode=updinfo&pass=p"})
        {
            final Form form = query.contains("pass") ? Form.SHOUTCAST : Form.ICECAST;
            assertThat(refusal(form, query)).as(query)
                .isEqualTo(new Refusal(400, "missing parameter song (or artist and title)"));
        }
    }

    @Test
    void shouldRefuseBadPercentEncodingNamingWhereItIs()
    {
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=a%zzb").message())
            .isEqualTo("bad percent-encoding '%zz' in parameter song at offset 31 of the query");
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=end%").message())
            .contains("'%'").contains("parameter song");
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=end%4").message()).contains("'%4'");
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&so%g=x").message()).contains("a parameter name");
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=%\u0001\u00ff").message())
            .as("unprintable bytes are shown escaped").contains("'%\\x01\\xff'");
    }

    @Test
    void shouldRefuseACharsetJavaDoesNotKnow()
    {
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=x&charset=klingon"))
            .isEqualTo(new Refusal(400, "unknown charset=klingon (e.g. UTF-8, ISO-8859-1, windows-1252)"));
        assertThat(refusal(Form.ICECAST, "mode=updinfo&mount=/live&song=x&charset=%22%3E").status()).isEqualTo(400);
    }

    @Test
    void shouldRefuseAFloodOfParameters()
    {
        final String query = "mode=updinfo&mount=/live&song=x" + "&p=1".repeat(QueryParameters.MAX_PARAMETERS);

        assertThat(refusal(Form.ICECAST, query).message())
            .isEqualTo("query has more than MAX_PARAMETERS=64 parameters");
    }

    @Test
    void shouldCarryAHugeTitleWhole()
    {
        final String title = "x".repeat(100_000);

        assertThat(update(Form.ICECAST, "mode=updinfo&mount=/live&song=" + title).title()).hasSize(100_000);
    }

    @Property(tries = 2_000)
    void shouldAnswerAnyQueryWithAnUpdateOrARefusal(
        @ForAll @StringLength(max = 200) @CharRange(from = 0, to = 255) final String noise,
        @ForAll @StringLength(max = 40) @CharRange(from = 0, to = 255) final String song)
    {
        for (final Form form : Form.values())
        {
            final MetadataRequest parsed = MetadataRequest.parse(form, noise);
            final MetadataRequest withSong = MetadataRequest.parse(form, "mode=updinfo&mount=/m&pass=p&song=" + song);

            assertThat(parsed).isNotNull();
            if (withSong instanceof Refusal refusal)
            {
                assertThat(refusal.status()).isEqualTo(400);
                assertThat(refusal.message()).startsWith("bad percent-encoding");
            }
        }
    }

    private static Update update(final Form form, final String query)
    {
        final MetadataRequest parsed = MetadataRequest.parse(form, query);
        assertThat(parsed).as(query).isInstanceOf(Update.class);
        return (Update)parsed;
    }

    private static Refusal refusal(final Form form, final String query)
    {
        final MetadataRequest parsed = MetadataRequest.parse(form, query);
        assertThat(parsed).as(query).isInstanceOf(Refusal.class);
        return (Refusal)parsed;
    }
}
