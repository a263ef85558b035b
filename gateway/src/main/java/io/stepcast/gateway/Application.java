package io.stepcast.gateway;

import io.micronaut.runtime.Micronaut;

/** Entry point of a Stepcast gateway instance. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
