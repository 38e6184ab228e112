package org.attnlab.engine.tasks;

import java.util.ArrayList;
import java.util.List;

/** The symmetric group S_n as an automaton: arrangements in lexicographic order and their ranks. */
final class Permutations {

    private Permutations() {
    }

    /**
     * Builds the transition table of S_n acting on arrangements, with the generating set
     * {@code e}, {@code (01)}, {@code (01..n-1)}, whose names are appended to {@code inputs}.
     * A state is the lexicographic rank of an arrangement {@code s} ({@code s[slot] = item});
     * input g moves the item in slot i to slot {@code g[i]}: {@code s'[g[i]] = s[i]}.
     *
     * @return {@code delta[rank][input]}, {@code n!} rows, 3 columns
     */
    static int[][] symmetricTable(int n, List<String> inputs) {
        int[] identity = new int[n];
        int[] swap = new int[n];
        int[] rotate = new int[n];
        StringBuilder cycleName = new StringBuilder("(");
        for (int i = 0; i < n; i++) {
            identity[i] = i;
            swap[i] = i;
            rotate[i] = (i + 1) % n;
            cycleName.append(i);
        }
        swap[0] = 1;
        swap[1] = 0;
        int[][] generators = {identity, swap, rotate};
        inputs.add("e");
        inputs.add("(01)");
        inputs.add(cycleName.append(')').toString());

        List<int[]> all = allInLexOrder(n);
        int[][] delta = new int[all.size()][generators.length];
        for (int r = 0; r < all.size(); r++) {
            int[] s = all.get(r);
            for (int x = 0; x < generators.length; x++) {
                int[] next = new int[n];
                for (int i = 0; i < n; i++) {
                    next[generators[x][i]] = s[i];
                }
                delta[r][x] = rank(next);
            }
        }
        return delta;
    }

    /** @return all arrangements of 0..n-1 in lexicographic order (next-permutation) */
    static List<int[]> allInLexOrder(int n) {
        List<int[]> out = new ArrayList<>();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        while (true) {
            out.add(p.clone());
            int i = n - 2;
            while (i >= 0 && p[i] > p[i + 1]) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            int j = n - 1;
            while (p[j] < p[i]) {
                j--;
            }
            swap(p, i, j);
            for (int a = i + 1, b = n - 1; a < b; a++, b--) {
                swap(p, a, b);
            }
        }
    }

    /** @return the lexicographic rank of permutation {@code p} (Lehmer code) */
    static int rank(int[] p) {
        int n = p.length;
        int r = 0;
        for (int i = 0; i < n; i++) {
            int smallerAfter = 0;
            for (int j = i + 1; j < n; j++) {
                smallerAfter += p[j] < p[i] ? 1 : 0;
            }
            r = r * (n - i) + smallerAfter;
        }
        return r;
    }

    private static void swap(int[] a, int i, int j) {
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
    }
}
