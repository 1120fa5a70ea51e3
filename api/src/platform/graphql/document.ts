import { type DocumentNode, type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';

export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  return fragments;
}

/**
 * The fields a selection set really selects at its own level, looking through inline fragments
 * and fragment spreads (`{ ... on Query { x } }` selects `x`).
 */
export function fieldsOf(set: SelectionSetNode, fragments: Fragments, seen = new Set<string>()): FieldNode[] {
  return set.selections.flatMap((sel) => {
    if (sel.kind === Kind.FIELD) return [sel];
    if (sel.kind === Kind.INLINE_FRAGMENT) return fieldsOf(sel.selectionSet, fragments, seen);
    const frag = fragments.get(sel.name.value);
    if (!frag || seen.has(frag.name.value)) return [];
    return fieldsOf(frag.selectionSet, fragments, new Set([...seen, frag.name.value]));
  });
}
