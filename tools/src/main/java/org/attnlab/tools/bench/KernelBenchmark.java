package org.attnlab.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.attnlab.engine.compute.LinearKernels;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Measures the engine's matrix-multiply kernels (the fast path's {@code MatMul}, through
 * {@link LinearKernels}) against EJML's {@code CommonOps_DDRM} on the products of one training
 * step ({@code bench --kernels}): the evidence for writing our own kernels. Rates are GFLOP/s of the calling thread's CPU time, so other processes on the
 * machine disturb them less than wall-clock rates.
 */
public final class KernelBenchmark {
    /**
     * One product's rates.
     *
     * @param product what is multiplied, e.g. {@code Y = X W (512x64)(64x256)}
     * @param ejml    GFLOP/s of EJML's call
     * @param engine  GFLOP/s of the engine's kernel (packing included)
     */
    public record Row(String product, double ejml, double engine) {
    }

    private KernelBenchmark() {
    }

    /**
     * Times {@code Y = X W} (EJML {@code mult}), {@code dW += X^T dY} ({@code multAddTransA}) and
     * {@code dX += dY W^T} ({@code multAddTransB}) for an MLP of width {@code d} -> 4d over
     * {@code n} rows, each for about {@code seconds} of CPU time per implementation.
     */
    public static List<Row> run(int n, int d, double seconds) {
        SplittableRandom rng = new SplittableRandom(1);
        int m = 4 * d;
        List<Row> rows = new ArrayList<>();
        for (int[] shape : new int[][] {{d, m}, {m, d}}) {
            int in = shape[0], out = shape[1];
            DMatrixRMaj x = random(rng, n, in), w = random(rng, in, out), dy = random(rng, n, out);
            DMatrixRMaj y = new DMatrixRMaj(n, out), dw = new DMatrixRMaj(in, out), dx = new DMatrixRMaj(n, in);
            LinearKernels kernels = new LinearKernels(w);
            double flops = 2.0 * n * in * out;
            rows.add(new Row(String.format(Locale.ROOT, "Y = X W (%dx%d)(%dx%d)", n, in, in, out),
                    rate(() -> CommonOps_DDRM.mult(x, w, y), flops, seconds),
                    rate(() -> kernels.multAdd(x, y), flops, seconds)));
            rows.add(new Row(String.format(Locale.ROOT, "dW += X^T dY (%dx%d)(%dx%d)", in, n, n, out),
                    rate(() -> CommonOps_DDRM.multAddTransA(x, dy, dw), flops, seconds),
                    rate(() -> kernels.multAddTransA(x, dy, dw), flops, seconds)));
            rows.add(new Row(String.format(Locale.ROOT, "dX += dY W^T (%dx%d)(%dx%d)", n, out, out, in),
                    rate(() -> CommonOps_DDRM.multAddTransB(dy, w, dx), flops, seconds),
                    rate(() -> kernels.multAddTransB(dy, dx), flops, seconds)));
        }
        return rows;
    }

    /** @return the rows as a Markdown table */
    public static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| product | EJML GFLOP/s | engine GFLOP/s | speed-up |\n|---|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1fx |%n", r.product(), r.ejml(),
                    r.engine(), r.engine() / r.ejml()));
        }
        return sb.toString();
    }

    private static DMatrixRMaj random(SplittableRandom rng, int r, int c) {
        DMatrixRMaj a = new DMatrixRMaj(r, c);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rng.nextDouble() - 0.5;
        }
        return a;
    }

    /** Best of three windows after a warm-up as long, in GFLOP per CPU second. */
    private static double rate(Runnable op, double flops, double seconds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long window = (long) (seconds / 4 * 1e9);
        double best = 0;
        for (int w = 0; w < 4; w++) {
            long t0 = mx.getCurrentThreadCpuTime(), calls = 0, el;
            do {
                op.run();
                calls++;
                el = mx.getCurrentThreadCpuTime() - t0;
            } while (el < window);
            if (w > 0) {
                best = Math.max(best, flops * calls / el);
            }
        }
        return best;
    }
}
