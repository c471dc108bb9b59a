package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.security.LocalCredentials;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.openapitools.codegen.config.GlobalSettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * A script author's path: generate a Java client from /v3/api-docs with OpenAPI Generator (its
 * {@code java} generator, {@code native} library: java.net.http and Jackson), compile it, and use it
 * with a personal token against the running server to create a task group and read it back; without
 * the token the same client gets a 401.
 */
@FulcrumSpringTest
class OpenApiClientTests {

    /** What a script does with the generated client; compiled with it. */
    private static final String USE = """
            package use;

            import gen.ApiClient;
            import gen.ApiException;
            import gen.api.TaskGroupsApi;
            import gen.model.TaskGroup;
            import gen.model.TaskGroupRequest;
            import gen.model.TaskRequest;
            import java.lang.reflect.Method;
            import java.util.List;
            import java.util.function.BiFunction;

            public class ClientUse implements BiFunction<String, String, String> {
                @Override
                public String apply(String base, String tokenAndName) {
                    String[] parts = tokenAndName.split(" ", 2);
                    ApiClient client = new ApiClient();
                    client.updateBaseUri(base);
                    if (!parts[0].isEmpty()) {
                        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + parts[0]));
                    }
                    TaskGroupsApi api = new TaskGroupsApi(client);
                    TaskGroupRequest request = new TaskGroupRequest()
                            .name(parts[1])
                            .tasks(List.of(new TaskRequest()
                                    .name("ctr")
                                    .kind(TaskRequest.KindEnum.BINARY)
                                    .labelColumn("click")));
                    try {
                        // operation ids carry springdoc's suffixes (create_2 …): find them by their types
                        TaskGroup created = (TaskGroup) find(TaskGroupsApi.class, TaskGroupRequest.class).invoke(api, request);
                        TaskGroup read = (TaskGroup) find(TaskGroupsApi.class, Long.class).invoke(api, created.getId());
                        return read.getId().equals(created.getId()) ? read.getName() + "/" + read.getTasks().size() : "other";
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        if (e.getCause() instanceof ApiException a) {
                            return "status " + a.getCode();
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }

                private static Method find(Class<?> api, Class<?> parameter) {
                    for (Method m : api.getMethods()) {
                        if (m.getReturnType() == TaskGroup.class && m.getParameterCount() == 1
                                && m.getParameterTypes()[0] == parameter) {
                            return m;
                        }
                    }
                    throw new IllegalStateException("no TaskGroup operation taking " + parameter.getSimpleName());
                }
            }
            """;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext app;

    @Autowired
    MockMvcTester mvc;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void aGeneratedJavaClientCreatesAndReadsBackATaskGroupWithAToken() throws Exception {
        Path spec = dir.resolve("openapi.json");
        Files.writeString(
                spec, mvc.get().uri("/v3/api-docs").exchange().getResponse().getContentAsString());
        Path out = dir.resolve("client");
        CodegenConfigurator config = new CodegenConfigurator()
                .setGeneratorName("java")
                .setLibrary("native")
                .setInputSpec(spec.toString())
                .setOutputDir(out.toString())
                .setInvokerPackage("gen")
                .setApiPackage("gen.api")
                .setModelPackage("gen.model")
                .addAdditionalProperty("useJakartaEe", true)
                .addAdditionalProperty("hideGenerationTimestamp", true);
        GlobalSettings.setProperty("apiTests", "false");
        GlobalSettings.setProperty("modelTests", "false");
        GlobalSettings.setProperty("apiDocs", "false");
        GlobalSettings.setProperty("modelDocs", "false");
        try {
            new DefaultGenerator().opts(config.toClientOptInput()).generate();
        } finally {
            GlobalSettings.reset();
        }
        Path use = dir.resolve("use/use/ClientUse.java");
        Files.createDirectories(use.getParent());
        Files.writeString(use, USE);

        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out.resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
        }
        sources.add(use.toString());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-nowarn",
                "-proc:none"));
        args.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, System.err, args.toArray(String[]::new)))
                .as("the generated client compiles")
                .isZero();

        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            BiFunction<String, String, String> client = (BiFunction<String, String, String>)
                    loader.loadClass("use.ClientUse").getDeclaredConstructor().newInstance();
            String base = "http://localhost:" + port;
            String name = "client-" + UUID.randomUUID().toString().substring(0, 8);
            String token = LocalCredentials.adminToken(app, "openapi-client");

            assertThat(client.apply(base, token + " " + name)).isEqualTo(name + "/1");
            assertThat(client.apply(base, " " + name + "-anonymous")).isEqualTo("status 401");
        }
        assertThat(new File(out.toFile(), "src/main/java/gen/api/TaskGroupsApi.java"))
                .exists();
    }
}
