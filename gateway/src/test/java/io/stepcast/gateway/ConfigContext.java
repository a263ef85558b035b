package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The application context of a configuration binding test: these properties, a Redis URI that is
 * never connected, singletons created only when asked for. Close it after use.
 */
public final class ConfigContext {

    private ConfigContext() {}

    public static ApplicationContext start(Map<String, Object> props) {
        Map<String, Object> all = new HashMap<>(props);
        all.put("stepcast.redis.uri", "redis://127.0.0.1:1"); // never connected in these tests
        return ApplicationContext.builder()
                .properties(all)
                .eagerInitSingletons(false)
                .start();
    }
}
