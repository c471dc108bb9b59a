package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parameter store of forward passes between which the parameters cannot change (an evaluation, a
 * prediction call, a serving copy that never trains). A block that multiplies by its weights in
 * another layout than it stores them (experts side by side) re-lays them out once here instead of
 * copying them at every batch: that copy does not depend on the batch size, so it weighs most on small
 * ranking batches. The re-laid arrays live under this store's manager and go with it; one thread at a
 * time.
 */
public final class InferenceParameterStore extends ParameterStore {

    private record Key(Object owner, String name) {}

    private final Map<Key, NDList> relaid = new HashMap<>();

    public InferenceParameterStore(NDManager manager) {
        super(manager, false);
    }

    /**
     * {@code relayout}'s arrays the first time {@code owner} asks for {@code name}, the same arrays after
     * that; in any other store, {@code relayout}'s arrays every time.
     */
    static NDList relaid(ParameterStore ps, Object owner, String name, Supplier<NDList> relayout) {
        if (!(ps instanceof InferenceParameterStore store)) {
            return relayout.get();
        }
        return store.relaid.computeIfAbsent(new Key(owner, name), k -> {
            NDList arrays = relayout.get();
            for (NDArray a : arrays) {
                // out of the batch's scope, which closes after this pass
                a.attach(store.getManager());
            }
            return arrays;
        });
    }

    /** How many re-laid entries it holds (tests check that a second pass adds none). */
    public int relaidCount() {
        return relaid.size();
    }
}
