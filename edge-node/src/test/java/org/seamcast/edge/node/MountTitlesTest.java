package org.seamcast.edge.node;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which title listeners of a mount get when its encoders' ingests send different ones, repeated every announce
 * interval and arriving over paths of different delay.
 */
class MountTitlesTest
{
    private static final int PRIMARY = 1;
    private static final int BACKUP = 2;
    private static final long NOW_US = 1_700_000_000_000_000L;

    private final MountTitles titles = new MountTitles();

    @Test
    void shouldGiveListenersATitleSetAtTheBackupsIngestWhileThePrimaryHasNone()
    {
        assertThat(titles.onMetadata(BACKUP, "From the backup", NOW_US, NOW_US)).isTrue();

        assertThat(titles.title()).isEqualTo("From the backup");
        assertThat(titles.newestEncoder()).isEqualTo(BACKUP);
        assertThat(titles.title(BACKUP)).isEqualTo("From the backup");
        assertThat(titles.title(PRIMARY)).isNull();
    }

    @Test
    void shouldGiveListenersTheNewestTitleWhicheverIngestItWasSetAt()
    {
        titles.onMetadata(PRIMARY, "Old on primary", NOW_US, NOW_US);

        assertThat(titles.onMetadata(BACKUP, "New on backup", NOW_US + 10_000_000, NOW_US + 10_000_000)).isTrue();
        assertThat(titles.title()).isEqualTo("New on backup");

        assertThat(titles.onMetadata(PRIMARY, "Newer on primary", NOW_US + 20_000_000, NOW_US + 20_000_000)).isTrue();
        assertThat(titles.title()).isEqualTo("Newer on primary");
        assertThat(titles.title(BACKUP)).as("kept for status").isEqualTo("New on backup");
    }

    @Test
    void shouldNotFlapWhenBothIngestsRepeatTheirTitles()
    {
        titles.onMetadata(PRIMARY, "Old", NOW_US, NOW_US);
        titles.onMetadata(BACKUP, "New", NOW_US + 5_000_000, NOW_US + 5_000_000);

        for (int repeat = 1; repeat <= 20; repeat++)
        {
            final long now = NOW_US + 5_000_000 + repeat * 500_000L;
            assertThat(titles.onMetadata(PRIMARY, "Old", NOW_US, now)).isFalse();
            assertThat(titles.onMetadata(BACKUP, "New", NOW_US + 5_000_000, now)).isFalse();
            assertThat(titles.title()).isEqualTo("New");
        }
    }

    @Test
    void shouldIgnoreAnEncodersOlderTitleArrivingLateOnASlowPath()
    {
        titles.onMetadata(PRIMARY, "Second", NOW_US + 1_000, NOW_US);

        assertThat(titles.onMetadata(PRIMARY, "First", NOW_US, NOW_US)).isFalse();
        assertThat(titles.title()).isEqualTo("Second");
        assertThat(titles.title(PRIMARY)).isEqualTo("Second");
    }

    @Test
    void shouldKeepWhatListenersHaveOnATie()
    {
        titles.onMetadata(PRIMARY, "Primary's", NOW_US, NOW_US);

        assertThat(titles.onMetadata(BACKUP, "Backup's", NOW_US, NOW_US)).isFalse();
        assertThat(titles.title()).isEqualTo("Primary's");
    }

    @Test
    void shouldTakeAClearedTitleAsNewest()
    {
        titles.onMetadata(PRIMARY, "Song", NOW_US, NOW_US);

        assertThat(titles.onMetadata(BACKUP, "", NOW_US + 1, NOW_US + 1)).isTrue();
        assertThat(titles.title()).isEmpty();
    }

    @Test
    void shouldRefuseATitleStampedFarAheadOfTheEdgesClockSoItCannotPinTheTitle()
    {
        titles.onMetadata(PRIMARY, "Real", NOW_US, NOW_US);

        assertThat(titles.onMetadata(BACKUP, "From 2099", NOW_US + MountTitles.MAX_TITLE_LEAD_US + 1, NOW_US))
            .isFalse();
        assertThat(titles.onMetadata(BACKUP, "Slightly ahead", NOW_US + MountTitles.MAX_TITLE_LEAD_US, NOW_US))
            .isTrue();
        assertThat(titles.refusedFromTheFuture()).isEqualTo(1);
        assertThat(titles.title()).isEqualTo("Slightly ahead");
    }
}
