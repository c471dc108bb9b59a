package io.fulcrum.mtl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.data.PreprocessingState;
import io.fulcrum.mtl.model.InferenceParameterStore;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.MtlForward;
import io.fulcrum.mtl.model.MultiTaskBlock;
import io.fulcrum.mtl.model.MultiTaskBlocks;
import io.fulcrum.mtl.model.TaskType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A built multi-task model: spec, block with its parameters, and the preprocessing it was trained with.
 * Owns one root NDManager; every forward runs in a scope (a sub-manager) so per-batch arrays never
 * outlive the batch.
 */
public final class MtlModel implements AutoCloseable {

    public static final String ENGINE = "PyTorch";

    private final NDManager manager;
    private final ModelSpec spec;
    private final MultiTaskBlock block;
    private final PreprocessingState preprocessing;
    private final ParameterStore parameterStore;
    // the block's parameter objects never change once built (loading replaces their arrays, not them);
    // DJL's getParameters walks every child block and builds a new list at each call
    private final List<Parameter> parameters;
    // set once the model will never train again (a serving copy): one inference store for its lifetime
    private volatile InferenceParameterStore frozen;

    private MtlModel(NDManager manager, ModelSpec spec, MultiTaskBlock block, PreprocessingState preprocessing) {
        this.manager = manager;
        this.spec = spec;
        this.block = block;
        this.preprocessing = preprocessing;
        this.parameterStore = new ParameterStore(manager, false);
        this.parameters = List.copyOf(block.getParameters().values());
    }

    /** {@link #create(ModelSpec, PreprocessingState, long, Device)} on the CPU. */
    public static MtlModel create(ModelSpec spec, PreprocessingState preprocessing, long seed) {
        return create(spec, preprocessing, seed, Device.cpu());
    }

    /**
     * Builds and initializes the spec's model on {@code device}; the same seed gives the same initial
     * parameters. Every array of the model, its batches and its outputs lives under its manager, so
     * on this device: nothing in the engine creates an array on a default device.
     */
    public static MtlModel create(ModelSpec spec, PreprocessingState preprocessing, long seed, Device device) {
        spec.validated();
        NativeHeap.tune();
        NDManager manager = NDManager.newBaseManager(device, ENGINE);
        try {
            MultiTaskBlock block = MultiTaskBlocks.create(spec);
            // the engine's generator is global: seeding and drawing must not interleave with another model's
            synchronized (MtlModel.class) {
                block.initialize(manager, seed, inputShapes(spec));
            }
            return new MtlModel(manager, spec, block, preprocessing);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Shape[] inputShapes(ModelSpec spec) {
        List<Shape> shapes = new ArrayList<>();
        if (!spec.inputs().dense().isEmpty()) {
            shapes.add(new Shape(1, spec.inputs().dense().size()));
        }
        if (!spec.inputs().categorical().isEmpty()) {
            shapes.add(new Shape(1, spec.inputs().categorical().size()));
        }
        return shapes.toArray(Shape[]::new);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The device its parameters, batches and outputs live on. */
    public Device device() {
        return manager.getDevice();
    }

    public MultiTaskBlock block() {
        return block;
    }

    public PreprocessingState preprocessing() {
        return preprocessing;
    }

    public NDManager manager() {
        return manager;
    }

    public long parameterCount() {
        // trained parameters only, as PyTorch counts them: running statistics are buffers
        return parameters().stream()
                .filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public List<Pair<String, Parameter>> namedParameters() {
        return block.getParameters().stream().toList();
    }

    /**
     * A sub-manager of {@code parent} to which the parameters (and {@code extra} arrays) are temporarily
     * attached, so that operations reading them put their results here and close with the scope; the
     * parameters return to the model when it closes.
     */
    public NDManager openScope(NDManager parent, Collection<NDArray> extra) {
        NDManager scope = parent.newSubManager();
        for (Parameter p : parameters()) {
            p.getArray().tempAttach(scope);
        }
        for (NDArray a : extra) {
            a.tempAttach(scope);
        }
        return scope;
    }

    /** Inputs for the block from encoded rows: [dense (B, nd)] and/or [categorical indices (B, nc)]. */
    public NDList inputs(NDManager batchManager, float[] dense, long[] categorical, int count) {
        NDList inputs = new NDList(2);
        int nd = spec.inputs().dense().size();
        int nc = spec.inputs().categorical().size();
        if (nd > 0) {
            inputs.add(batchManager.create(dense, new Shape(count, nd)));
        }
        if (nc > 0) {
            inputs.add(batchManager.create(categorical, new Shape(count, nc)));
        }
        return inputs;
    }

    /** One forward pass returning outputs and gate weights; call it inside {@link #openScope}. */
    public MtlForward forward(NDList inputs, boolean training) {
        return block.forwardWithGates(parameterStore, inputs, training);
    }

    /**
     * Forward passes that do not train, as one session over any number of batches: weights that a block
     * multiplies in another layout than it stores are re-laid out once for the session instead of at
     * every batch. The parameters must not change while it is open; on a
     * {@link #freeze frozen} model every session shares one store for the model's lifetime.
     */
    public Inference inference() {
        InferenceParameterStore store = frozen;
        return store != null
                ? new Inference(store, false)
                : new Inference(new InferenceParameterStore(manager.newSubManager()), true);
    }

    /**
     * Marks the model as one that will never train again (a serving copy): its parameters stop asking for
     * gradients, its re-laid-out weights are kept for its lifetime, and the trainer refuses it.
     */
    public void freeze() {
        if (frozen != null) {
            return;
        }
        for (Parameter p : parameters) {
            p.getArray().setRequiresGradient(false);
        }
        frozen = new InferenceParameterStore(manager.newSubManager());
    }

    public boolean isFrozen() {
        return frozen != null;
    }

    /** See {@link #inference()}; one thread at a time. */
    public final class Inference implements AutoCloseable {

        private final InferenceParameterStore store;
        private final boolean owned;

        private Inference(InferenceParameterStore store, boolean owned) {
            this.store = store;
            this.owned = owned;
        }

        /** One forward pass returning outputs and gate weights; call it inside {@link #openScope}. */
        public MtlForward forward(NDList inputs) {
            return block.forwardWithGates(store, inputs, false);
        }

        /** The store its passes read (tests look at what it keeps). */
        public InferenceParameterStore store() {
            return store;
        }

        @Override
        public void close() {
            if (owned) {
                store.getManager().close();
            }
        }
    }

    /**
     * Predicts a batch of raw rows, row-major: {@code dense} (rows × dense columns) and {@code categorical}
     * (rows × categorical columns, raw values); the preprocessing is applied here.
     */
    public Predictions predict(int rows, float[] dense, long[] categorical) {
        int k = spec.taskCount();
        MtlDataset raw = new MtlDataset(
                rows,
                spec.inputs().dense().size(),
                dense,
                spec.inputs().categorical().size(),
                categorical,
                k,
                new float[rows * k],
                null);
        return predict(raw);
    }

    /** Predicts raw samples (the preprocessing is applied here): probabilities or values per task. */
    public Predictions predict(MtlDataset raw) {
        return predictEncoded(preprocessing.transform(raw), 1024);
    }

    public Predictions predictEncoded(MtlDataset encoded, int batchSize) {
        int k = spec.taskCount();
        float[][] values = new float[k][encoded.size()];
        Evaluator.forEachBatch(this, encoded, batchSize, null, (from, count, outputs) -> {
            for (int t = 0; t < k; t++) {
                System.arraycopy(outputs[t], 0, values[t], from, count);
            }
        });
        return new Predictions(spec.taskNames(), values);
    }

    static float[] toPrediction(TaskType type, float[] raw) {
        if (type == TaskType.BINARY) {
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (float) (1.0 / (1.0 + Math.exp(-raw[i])));
            }
        }
        return raw;
    }

    @Override
    public void close() {
        manager.close();
    }
}
