package org.biogpt.spark.core.generate;

/**
 * The n best (score, index) pairs of a stream, as torch.topk(sorted=True): best first, the lower
 * index first on equal scores. A bounded min-heap, so scanning beams x vocab allocates nothing.
 */
final class TopN {
    private final float[] scores;
    private final int[] indices;
    private int size;

    TopN(int n) {
        scores = new float[n];
        indices = new int[n];
    }

    /** Whether a beats b: higher score, or equal score and lower index. */
    private static boolean better(float sa, int ia, float sb, int ib) {
        return sa > sb || (sa == sb && ia < ib);
    }

    void offer(float score, int index) {
        if (size < scores.length) {
            scores[size] = score;
            indices[size] = index;
            siftUp(size++);
        } else if (better(score, index, scores[0], indices[0])) {
            scores[0] = score;
            indices[0] = index;
            siftDown(0);
        }
    }

    /** Would this pair enter the heap? Lets callers skip work for hopeless candidates. */
    boolean accepts(float score) {
        return size < scores.length || score >= scores[0];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(scores[parent], indices[parent], scores[i], indices[i])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int worst = i;
            if (l < size && better(scores[worst], indices[worst], scores[l], indices[l])) {
                worst = l;
            }
            if (r < size && better(scores[worst], indices[worst], scores[r], indices[r])) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int t = indices[a];
        indices[a] = indices[b];
        indices[b] = t;
    }

    /** Drains the heap: sortedScores/sortedIndices best first. Returns the count. */
    int drain(float[] sortedScores, int[] sortedIndices) {
        int n = size;
        for (int k = n - 1; k >= 0; k--) {
            sortedScores[k] = scores[0];
            sortedIndices[k] = indices[0];
            swap(0, --size);
            siftDown(0);
        }
        return n;
    }
}
