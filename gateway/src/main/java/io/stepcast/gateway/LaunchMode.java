package io.stepcast.gateway;

import java.util.Map;

/**
 * Another way to start the gateway's jar than as a production gateway, such as demo mode. Modes are
 * found with {@code ServiceLoader} (a {@code META-INF/services} entry next to their code),
 * so the production path names none of them and a jar built without a mode simply does not offer it.
 *
 * <p>{@link Application#main} asks each mode in turn; the first that is {@linkplain #requested
 * requested} by the arguments or environment runs instead of the production gateway.
 */
public interface LaunchMode {

    /** True when these command-line arguments or this environment ask for this mode. */
    boolean requested(String[] args, Map<String, String> env);

    /** Runs the mode in the foreground (returns when it has stopped). */
    void launch(String[] args) throws InterruptedException;
}
