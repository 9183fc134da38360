import ShikakuCrypto

/// A journal entry encoded for appending: its record's bytes and its Merkle leaf's hash at the place in
/// the log it is meant for. Encoding is most of an append's work and needs nothing of the registry, so a
/// batch prepares its entries on every core and appends them in order.
public struct PreparedEntry: Sendable {
    let payload: [UInt8]
    let facts: RecordFacts
    let sequence: UInt64
    let leafHash: SHA256.Digest

    /// Encodes `entry` for the log's `sequence`-th place, with `state`, the registration as the entry leaves it
    /// (see ``StateBlock``), for a registration's entry.
    public init(_ entry: JournalEntry, sequence: UInt64, state: RegistrationRecord?) {
        facts = RecordFacts(entry)
        payload = FactsBlock.payload(facts, state: state, json: entry.payload)
        self.sequence = sequence
        leafHash = facts.leafHash(sequence: sequence)
    }
}
