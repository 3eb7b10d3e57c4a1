import type { ArchNode, ArchSpec, Shape } from '../../core/arch.js';

/** What a reference network is made for: the input shape and the class count (ImageNet by default). */
export interface ReferenceOptions {
  readonly inputShape?: Shape;
  readonly classes?: number;
}

/** The ImageNet defaults: 224×224×3, 1000 classes. */
export const IMAGENET = { inputShape: [224, 224, 3] as Shape, classes: 1000 };

/** A node whose inputs default to the previous node of the chain. */
export type NodeInit = ArchNode extends infer N
  ? N extends ArchNode
    ? Omit<N, 'inputs'> & { readonly inputs?: readonly string[] }
    : never
  : never;

/** Chains nodes that each take the previous one's output; `add(node)` returns the new node's id. */
export class Chain {
  readonly nodes: ArchNode[] = [];
  last = 'input';

  add(node: NodeInit): string {
    this.nodes.push({ ...node, inputs: node.inputs ?? [this.last] } as ArchNode);
    this.last = node.id;
    return node.id;
  }

  spec(name: string, o: ReferenceOptions): ArchSpec {
    return {
      version: 1,
      name,
      input: { shape: o.inputShape ?? IMAGENET.inputShape },
      nodes: this.nodes,
      output: this.last,
    };
  }
}
