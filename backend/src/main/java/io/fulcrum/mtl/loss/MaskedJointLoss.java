package io.fulcrum.mtl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;

/**
 * Per-task losses over heterogeneous sample spaces (brief §3, Eq. 9):
 * L_k = Σ_i δ_k^i · loss_k(ŷ_k^i, y_k^i) / Σ_i δ_k^i, with BCE-with-logits for binary tasks and squared
 * error for regression. A task with no in-space sample in the batch gets exactly 0.
 */
public final class MaskedJointLoss {

    private final float[] binary;

    public MaskedJointLoss(List<TaskType> types) {
        binary = new float[types.size()];
        for (int k = 0; k < binary.length; k++) {
            binary[k] = types.get(k) == TaskType.BINARY ? 1f : 0f;
        }
    }

    /**
     * @param outputs one (B) array per task: logits for binary tasks, values for regression
     * @param labels (B, K)
     * @param mask (B, K), δ in {0, 1}
     * @return (K) per-task losses
     */
    public NDArray taskLosses(NDList outputs, NDArray labels, NDArray mask) {
        NDArray z = NDArrays.stack(outputs, 1);
        // BCE with logits in its stable form: max(z, 0) − z·y + log(1 + exp(−|z|))
        NDArray bce =
                z.maximum(0f).sub(z.mul(labels)).add(z.abs().neg().exp().add(1f).log());
        NDArray squared = z.sub(labels).square();
        NDArray isBinary = labels.getManager().create(binary).reshape(1, binary.length);
        NDArray perSample = NDArrays.where(isBinary.gt(0.5f).broadcast(z.getShape()), bce, squared);
        // where, not multiply: an out-of-space NaN would survive 0 · NaN
        NDArray inSpace = mask.gt(0.5f);
        NDArray summed =
                NDArrays.where(inSpace, perSample, perSample.zerosLike()).sum(new int[] {0});
        NDArray counts = mask.sum(new int[] {0});
        return summed.div(counts.maximum(1f));
    }
}
