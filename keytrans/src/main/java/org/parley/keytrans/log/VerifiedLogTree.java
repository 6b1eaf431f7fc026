package org.parley.keytrans.log;

import java.util.Optional;

/**
 * What a verified log tree proof yields: the candidate root value (to check against the signed tree
 * head), the full subtrees to retain for the next consistency proof, and the root at the auditor's
 * size if one was requested.
 *
 * @param root the root value of the tree of {@code fullSubtrees.treeSize()} leaves
 * @param fullSubtrees the head values of the tree's full subtrees, for the user to retain
 * @param auditorRoot the root value of the tree at {@code ProofScope.auditorSize()}, if requested
 */
public record VerifiedLogTree(
    HashValue root, FullSubtrees fullSubtrees, Optional<HashValue> auditorRoot) {}
