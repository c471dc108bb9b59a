package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.ServingProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServingProperties.class)
public class ServingConfiguration {}
