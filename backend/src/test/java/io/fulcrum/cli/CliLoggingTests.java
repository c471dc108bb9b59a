package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The headless commands' stdout is a table or JSON for scripts: their log configuration writes to stderr. */
class CliLoggingTests {

    @Test
    void everyLogLineOfTheCommandsGoesToStderrAtWarningOrAbove() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource("logback-cli.xml"));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        List<Appender<?>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).isNotEmpty();
        for (Appender<?> appender : appenders) {
            assertThat(appender).isInstanceOf(ConsoleAppender.class);
            assertThat(((ConsoleAppender<?>) appender).getTarget()).isEqualTo("System.err");
        }
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }
}
