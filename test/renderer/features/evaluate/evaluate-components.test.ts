// The Evaluate view's components rendered for real (Vue's server renderer, under Node): the heat
// map's cells and their one Tab stop, the gallery rendering a screenful of a thousand images
// and asking for their page of pixels, the per-class table and the inspect dialog's facts.
import { describe, expect, it } from 'vitest';
import { createSSRApp, h, type Component } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { perClassMetrics } from '../../../../src/shared/class-metrics';
import type { SampleDetails } from '../../../../src/shared/engine-protocol';
import ConfusionHeatMap from '../../../../src/renderer/src/ui/confusion-heat-map.vue';
import EvaluateClassTable from '../../../../src/renderer/src/features/evaluate/components/evaluate-class-table.vue';
import EvaluateGallery from '../../../../src/renderer/src/features/evaluate/components/evaluate-gallery.vue';
import EvaluateInspectDialog from '../../../../src/renderer/src/features/evaluate/components/evaluate-inspect-dialog.vue';
import {
  galleryIndices,
  galleryItem,
  samplePredictions,
} from '../../../../src/renderer/src/features/evaluate/evaluate-gallery';

function render(component: Component, props: Record<string, unknown>): Promise<string> {
  return renderToString(createSSRApp({ render: () => h(component, props) }));
}

function count(html: string, pattern: RegExp): number {
  return html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/** 10×10 confusion: 100 per class on the diagonal, 4 → 9 twelve times. */
function confusion(): number[][] {
  return Array.from({ length: 10 }, (_, a) =>
    Array.from({ length: 10 }, (_, p) => (a === p ? 100 : a === 4 && p === 9 ? 12 : 0)),
  );
}

/** `n` samples of class 1, all predicted 1, confidence falling with the index. */
function ones(n: number): SampleDetails {
  return {
    labels: new Int32Array(n).fill(1),
    predicted: new Int32Array(n).fill(1),
    top3: Int32Array.from({ length: 3 * n }, (_, k) => [1, 7, 4][k % 3] as number),
    top3Probabilities: Float32Array.from({ length: 3 * n }, (_, k) =>
      k % 3 === 0 ? 0.99 - (k / 3) * 1e-4 : 0.005,
    ),
  };
}

describe('confusion heat map', () => {
  it('labels every cell for screen readers and makes the selected one the only Tab stop', async () => {
    const html = await render(ConfusionHeatMap, {
      confusion: confusion(),
      selected: { actual: 4, predicted: 9 },
    });
    expect(count(html, /role="gridcell"[^>]*data-testid="confusion-cell"/)).toBe(100);
    expect(count(html, /data-testid="confusion-cell"/)).toBe(100);
    expect(count(html, /tabindex="0"/)).toBe(1);
    expect(count(html, /tabindex="-1"/)).toBe(99);
    expect(html).toMatch(
      /tabindex="0" aria-label="true 4, predicted 9: 12 images, 10\.7% of true 4s" aria-selected="true"/,
    );
    expect(html).toContain('role="grid"');
    expect(html).toContain('aria-label="true 0, predicted 0: 100 images, 100.0% of true 0s"');
  });

  it('puts the Tab stop on the first cell when nothing is selected, and shows class names', async () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const html = await render(ConfusionHeatMap, { confusion: confusion(), labels: names });
    expect(html).toMatch(/tabindex="0" aria-label="true zero, predicted zero: /);
    expect(html).toContain(
      'aria-label="true four, predicted nine: 12 images, 10.7% of true fours"',
    );
  });
});

describe('evaluate gallery', () => {
  it('renders only a screenful of a thousand images and asks for their page', async () => {
    const details = ones(1000);
    const indices = galleryIndices(samplePredictions(details), {
      kind: 'cell',
      actual: 1,
      predicted: 1,
    });
    const needed: number[][] = [];
    const html = await render(EvaluateGallery, {
      title: 'True 1, predicted 1',
      indices,
      item: (i: number) => galleryItem(details, i),
      image: () => undefined,
      version: 0,
      initialHeight: 480,
      initialWidth: 900,
      onNeed: (batch: number[]) => needed.push(batch),
    });
    const rendered = count(html, /data-testid="gallery-item"/);
    // 900 px → 6 columns; 480 px → 3 rows in view, 2 more below: 5 rows of 6.
    expect(rendered).toBe(30);
    expect(html).toContain('1,000 images');
    expect(html).toContain(`height:${Math.ceil(1000 / 6) * 176}px`);
    expect(count(html, /aria-setsize="1000"/)).toBe(30);
    expect(count(html, /tabindex="0"/)).toBe(1);
    expect(html).toContain(
      'aria-label="Test image 0: true 1, predicted 1; top 3: 1 99.0%, 7 0.5%, 4 0.5%"',
    );
    // The first page of 64 positions covers the 30 in view.
    expect(needed).toEqual([indices.slice(0, 64)]);
  });

  it('says when a cell holds no images', async () => {
    const html = await render(EvaluateGallery, {
      title: 'True 3, predicted 8',
      indices: [],
      item: () => null,
      image: () => undefined,
      version: 0,
    });
    expect(html).toContain('No images here.');
    expect(html).not.toContain('gallery-item');
  });
});

describe('per-class table and inspect dialog', () => {
  it('lists precision, recall, F1 and support per class', async () => {
    const html = await render(EvaluateClassTable, { perClass: perClassMetrics(confusion()) });
    expect(count(html, /data-testid="class-metrics-row"/)).toBe(10);
    // Class 4: 100 of 112 right (recall 89.3%), all its predictions right (precision 100%),
    // the weakest F1 (with 9, whose precision suffers; 4 comes first).
    expect(html).toMatch(
      /<tr class="weakest"[^>]*><th[^>]*>4<span[^>]*> \(weakest F1\)<\/span><\/th><td[^>]*>100\.0%<\/td><td[^>]*>89\.3%<\/td><td[^>]*>94\.3%<\/td><td[^>]*>112<\/td>/,
    );
    expect(html).toContain('1,012');
  });

  it('shows the opened image’s true label, prediction and top 3, and hands its input to the slot', async () => {
    const details: SampleDetails = {
      labels: Int32Array.from([4]),
      predicted: Int32Array.from([9]),
      top3: Int32Array.from([9, 4, 7]),
      top3Probabilities: Float32Array.from([0.81, 0.15, 0.02]),
    };
    let input: Float32Array | null = null;
    const html = await renderToString(
      createSSRApp({
        render: () =>
          h(
            EvaluateInspectDialog,
            {
              item: galleryItem(details, 0),
              pixels: new Uint8Array(784).fill(255),
              position: { at: 2, of: 12 },
            },
            {
              'feature-maps': (props: { input: Float32Array | null }) => {
                input = props.input;
                return h('p', 'maps here');
              },
            },
          ),
      }),
    );
    expect(html).toContain('Test image 0');
    expect(html).toContain('2 of 12');
    expect(html).toMatch(/data-testid="inspect-true"[^>]*>4</);
    expect(html).toMatch(/data-testid="inspect-predicted"[^>]*>\s*9/);
    expect(html).toContain('81.00%');
    expect(html).toContain('Wrong');
    expect(html).toContain('maps here');
    expect(input).toHaveLength(784);
    expect((input as unknown as Float32Array)[0]).toBe(1);
  });
});
