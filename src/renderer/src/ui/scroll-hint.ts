// Whether a scroll area has more content below (or above) what it shows, kept up to date as it
// scrolls and as it or its content changes size: a panel that scrolls by itself in a small
// window says so, instead of ending at a field cut in half.
//   const { below, above } = useScrollHint(panel);   // panel: Ref<HTMLElement | null>
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** What scrolling can still bring into view, in px of slack (sub-pixel rounding). */
const SLACK = 2;

export function useScrollHint(target: Ref<HTMLElement | null>): {
  below: Ref<boolean>;
  above: Ref<boolean>;
} {
  const below = ref(false);
  const above = ref(false);
  let observer: ResizeObserver | null = null;

  function update(): void {
    const el = target.value;
    if (!el) return;
    below.value = el.scrollTop + el.clientHeight < el.scrollHeight - SLACK;
    above.value = el.scrollTop > SLACK;
  }

  onMounted(() => {
    const el = target.value;
    if (!el) return;
    el.addEventListener('scroll', update, { passive: true });
    // The area itself (the window resized) and what it holds (a section opened or closed).
    observer = new ResizeObserver(update);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    update();
  });

  onBeforeUnmount(() => {
    target.value?.removeEventListener('scroll', update);
    observer?.disconnect();
  });

  return { below, above };
}
