package io.fulcrum.mtl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.fulcrum.mtl.model.TaskType;
import java.util.List;

/**
 * Per-task losses over heterogeneous sample spaces (brief §3, Eq. 9), optionally with per-sample weights:
 * L_k = Σ_i δ_k^i · w_i · loss_k(ŷ_k^i, y_k^i) / Σ_i δ_k^i · w_i, with BCE-with-logits for binary tasks
 * and squared error for regression, and w_i = 1 without weights. A task with no in-space sample in the
 * batch, or whose in-space samples all weigh 0, gets exactly 0.
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
     * @return (K) per-task losses, every sample weighing 1
     */
    public NDArray taskLosses(NDList outputs, NDArray labels, NDArray mask) {
        return taskLosses(outputs, labels, mask, null);
    }

    /**
     * @param weights (B) finite weights ≥ 0, or null for 1 each. They are a separate array rather than
     *     folded into the mask because δ is tested as {@code mask > 0.5}: a weight of 0.3 must still count.
     * @return (K) per-task losses
     */
    public NDArray taskLosses(NDList outputs, NDArray labels, NDArray mask, NDArray weights) {
        NDArray z = NDArrays.stack(outputs, 1);
        NDArray inSpace = mask.gt(0.5f);
        // an out-of-space label may be NaN: zeroed first, as where() alone keeps the forward value finite
        // but not the gradient (0 · ∂loss/∂z(NaN) = NaN)
        labels = NDArrays.where(inSpace, labels, labels.zerosLike());
        // BCE with logits in its stable form: max(z, 0) − z·y + log(1 + exp(−|z|))
        NDArray bce =
                z.maximum(0f).sub(z.mul(labels)).add(z.abs().neg().exp().add(1f).log());
        NDArray squared = z.sub(labels).square();
        NDArray isBinary = labels.getManager().create(binary).reshape(1, binary.length);
        NDArray perSample = NDArrays.where(isBinary.gt(0.5f).broadcast(z.getShape()), bce, squared);
        // where, not multiply: an out-of-space NaN would survive 0 · NaN
        NDArray inSpaceLosses = NDArrays.where(inSpace, perSample, perSample.zerosLike());
        if (weights == null) {
            NDArray counts = mask.sum(new int[] {0});
            return inSpaceLosses.sum(new int[] {0}).div(counts.maximum(1f));
        }
        NDArray perRow = weights.reshape(-1, 1).broadcast(z.getShape());
        NDArray w = NDArrays.where(inSpace, perRow, perRow.zerosLike());
        NDArray summed = inSpaceLosses.mul(w).sum(new int[] {0});
        NDArray total = w.sum(new int[] {0});
        // a total of 0 has a summed loss of 0 too; dividing by 1 then keeps both the loss and its gradient at 0
        // (where() over summed / 0 would still send 0 · ∞ = NaN back through the unused branch)
        return summed.div(NDArrays.where(total.gt(0f), total, total.onesLike()));
    }
}
