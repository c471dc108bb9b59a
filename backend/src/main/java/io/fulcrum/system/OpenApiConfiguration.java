package io.fulcrum.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI fulcrumOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "dev" : properties.getVersion();
        return new OpenAPI()
                .info(new Info()
                        .title("Fulcrum API")
                        .version(version)
                        .description("Task groups, datasets, experiment runs, comparisons and rollouts of multi-task"
                                + " recommendation models. Errors are RFC 7807 problem details; input errors"
                                + " list every broken rule in `errors` as {field, rule, message}.")
                        .license(new License().name("Apache-2.0")));
    }
}
