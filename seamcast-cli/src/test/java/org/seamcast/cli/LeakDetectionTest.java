package org.seamcast.cli;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeakDetectionTest
{
    private ResourceLeakDetector.Level level;
    private String property;

    @BeforeEach
    void remember()
    {
        level = ResourceLeakDetector.getLevel();
        property = System.getProperty(SeamcastCommand.LEAK_DETECTION_PROPERTY);
    }

    @AfterEach
    void restore()
    {
        ResourceLeakDetector.setLevel(level);
        if (null == property)
        {
            System.clearProperty(SeamcastCommand.LEAK_DETECTION_PROPERTY);
        }
        else
        {
            System.setProperty(SeamcastCommand.LEAK_DETECTION_PROPERTY, property);
        }
    }

    @Test
    void shouldRunNodesWithoutTheLeakDetectorByDefault()
    {
        System.clearProperty(SeamcastCommand.LEAK_DETECTION_PROPERTY);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);

        SeamcastCommand.disableLeakDetectionUnlessAsked();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void shouldKeepTheLeakDetectorWhenItIsAskedFor()
    {
        System.setProperty(SeamcastCommand.LEAK_DETECTION_PROPERTY, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);

        SeamcastCommand.disableLeakDetectionUnlessAsked();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
