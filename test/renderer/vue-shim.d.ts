// The Node half of the typecheck (tsc, tsconfig.node.json) cannot read .vue files; vue-tsc types
// them in the web project. Component tests import them, and see plain components here.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
