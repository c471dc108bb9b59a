package io.fulcrum;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

/**
 * The test JVM's cached application context, for tests that the Spring TestContext framework does not
 * run: jqwik properties run on the JUnit platform but not through JUnit Jupiter's extensions. Asking a
 * {@link TestContextManager} for the context of a {@link FulcrumSpringTest} class returns the very
 * context every other such test class shares (started here if none has been yet).
 */
public final class SpringTestApplication {

    @FulcrumSpringTest
    static final class Configured {}

    private SpringTestApplication() {}

    public static ApplicationContext context() {
        return new TestContextManager(Configured.class).getTestContext().getApplicationContext();
    }
}
