package io.stepcast.gateway.hub;

import java.util.ArrayList;
import java.util.List;

/** Collects the {@link Action}s of one {@link PlanChannel} call; allocates only when there are some. */
final class Effects {

    private List<Action> actions;

    void add(Action action) {
        if (actions == null) {
            actions = new ArrayList<>(4);
        }
        actions.add(action);
    }

    List<Action> list() {
        return actions == null ? List.of() : actions;
    }
}
