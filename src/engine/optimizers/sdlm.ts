// The paper's stochastic diagonal Levenberg–Marquardt (LeCun et al. 1998, §V-B and appendix C):
// every parameter w_k has its own rate ε_k = η / (μ + h_kk), μ = 0.02, where h_kk estimates the
// diagonal of the criterion's second derivative. h_kk is re-estimated on 500 training samples
// before every pass and held fixed during the pass; η follows the run's schedule (the paper's:
// 0.0005, 0.0002, 0.0001, 0.00005, 0.00001 over 20 passes).
//
// What h_kk is here, exactly: the Gauss–Newton diagonal, averaged over the P samples,
//   h_kk = (1/P) Σ_p (J_pᵀ H_p J_p)_kk,
// with z the output of the last layer that has trainable parameters (F6 in lenet5-1998, the
// logits of a softmax output), J_p = ∂z/∂w for sample p, and H_p = ∂²E_p/∂z∂z the Hessian of
// the criterion seen from z: the fixed layers after z (the RBF with its fixed prototypes) and
// the loss. Why this is the paper's approximation: appendix C back-propagates second
// derivatives and drops every f''(a) term (the curvature of the squashing functions inside the
// network), keeping products of first derivatives with the criterion's second derivative — the
// Gauss–Newton approximation, which makes h_kk ≥ 0 — and keeps each parameter's diagonal term
// only. The RBF output has no trainable parameters, so its quadratic y_i = Σ_j (x_j − w_ij)²
// belongs to the criterion: for MSE to the target prototype H_p = 2I, the paper's value.
// The paper then approximates J_pᵀ H_p J_p layer by layer (squared weights times squared
// derivatives, dropping cross terms between units); instead, it is estimated here without
// bias from the network's own hand-written backward: for a random ±1 vector v_p (seeded),
// E[(J_pᵀ H_p v_p)_k · (J_pᵀ v_p)_k] = (J_pᵀ H_p J_p)_kk, i.e. two batch-1 backward passes per
// sample (not one per output unit: F6 has 84), and the average over 500 samples keeps its
// noise to a few percent. H_p v_p is a central difference of the criterion's own native
// gradient (one copy of each loss's maths; exact for quadratic criteria such as MSE).
import * as tf from '@tensorflow/tfjs-node';
import type { CurvatureSource, OptimizerEntry } from './optimizer-entry';

/** The paper's μ: keeps ε_k bounded (by η/μ) where the curvature is small. */
export const SDLM_MU = 0.02;
/** Samples the paper estimates h_kk on before each pass. */
export const SDLM_SAMPLES = 500;
/** Step of the central difference that gives H_p v_p. */
const HESSIAN_DELTA = 1e-2;

/** The Gauss–Newton diagonal of the criterion, averaged over the rows of x (see the top). */
export function gaussNewtonDiagonal(
  source: CurvatureSource,
  x: tf.Tensor,
  labels: tf.Tensor,
  seed: number,
): tf.Tensor[] {
  const n = x.shape[0] as number;
  const sizes = source.paramShapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  // For every sample at once: v_p, and H_p v_p by central differences of ∂E_p/∂z.
  const [v, hv] = tf.tidy(() => {
    const z = source.forward(x).z;
    const signs = tf.sign(tf.randomUniform(z.shape, -1, 1, 'float32', seed));
    const step = signs.mul(HESSIAN_DELTA);
    const up = source.criterionGradient(tf.add(z, step), labels);
    const down = source.criterionGradient(tf.sub(z, step), labels);
    return [signs, tf.sub(up, down).div(2 * HESSIAN_DELTA)];
  });
  // One flat accumulator for every parameter: a handful of ops per sample.
  let sum = tf.zeros([sizes.reduce((a, b) => a + b, 0)]);
  const flat = (grads: tf.Tensor[]) => tf.concat(grads.map((g) => g.reshape([-1])));
  try {
    for (let p = 0; p < n; p++) {
      const next = tf.tidy(() => {
        const pass = source.forward(tf.slice(x, p, 1));
        const jHv = flat(pass.backward(tf.slice(hv, p, 1)));
        const jv = flat(pass.backward(tf.slice(v, p, 1)));
        return sum.add(tf.mul(jHv, jv));
      });
      sum.dispose();
      sum = next;
    }
    // A sampled product can fall below 0 where the true diagonal is close to it.
    return tf.tidy(() =>
      tf
        .split(tf.relu(sum.div(Math.max(n, 1))), sizes)
        .map((h, w) => h.reshape(source.paramShapes[w]!)),
    );
  } finally {
    tf.dispose([sum, v, hv]);
  }
}

export const sdlm: OptimizerEntry = {
  slots: ['hessian'],
  defaults: { mu: SDLM_MU },
  curvature: { slot: 'hessian', samples: SDLM_SAMPLES, estimate: gaussNewtonDiagonal },
  native(kit) {
    const read = [kit.attr.type('dtype', 'float32')];
    const attrs = [kit.attr.float, kit.attr.bool('use_locking', false)];
    const mu = tf.scalar(SDLM_MU);
    return {
      // w_k ← w_k − η · g_k / (μ + h_kk), inside the caller's tidy.
      apply(params, lr) {
        for (const p of params) {
          const h = kit.op('ReadVariableOp', read, [p.slots[0]!]);
          const scaled = kit.op('RealDiv', kit.A.t, [p.grad, kit.op('AddV2', kit.A.t, [h, mu])]);
          kit.ops('ResourceApplyGradientDescent', attrs, [p.variable, lr, scaled], 0);
        }
      },
      dispose: () => mu.dispose(),
    };
  },
  // h_kk needs the network's per-sample backward, which only the native path has.
  portable: null,
};
