import ShikakuCredentials
import ShikakuCrypto
import Testing

@testable import ShikakuStore

/// How status slots are handed out: at random over the whole list (W3C BSL §6.1, so an index says nothing
/// about when a credential was issued), never twice, and in a new list once one is three quarters full.
@Suite struct StatusLedgerTests {
    static let entries = BitstringStatusList.minimumEntries
    /// A small pool, so that draws cross from one block to the next.
    let random = SecureRandom.Pool(size: 7)

    @Test func slotsAreDrawnAtRandomOverTheWholeList() throws {
        var ledger = StatusLedger()
        let draws = 4_096
        let slots = try (0..<draws).map { _ in try ledger.allocate(for: "mhlw", from: random) }
        #expect(slots.allSatisfy { $0.list == 1 })
        let indexes = slots.map(\.index)
        #expect(Set(indexes).count == draws, "no two credentials share a slot")
        // Spread evenly: each eighth of the list gets 512 draws on average, with a standard deviation of 21.
        var eighths = [Int](repeating: 0, count: 8)
        for index in indexes { eighths[index * 8 / Self.entries] += 1 }
        #expect(eighths.allSatisfy { (362...662).contains($0) }, "\(eighths)")
        // In no order: about half the steps go up (2,048 on average, deviation 32), where counting would make all.
        let ups = zip(indexes, indexes.dropFirst()).filter { $0 < $1 }.count
        #expect((1_848...2_248).contains(ups), "\(ups) of \(draws - 1) steps go up")
        #expect(ledger.lists["mhlw"]?.first?.used == draws)
    }

    @Test func aSlotHandedOutOrRevokedIsNeverDrawnAgainAndAFullListOpensTheNext() throws {
        var ledger = StatusLedger()
        // All but the top of list 1 taken, some of it revoked (superseded or revoked credentials): one draw short of the fill.
        let taken = StatusLedger.fill - 1
        for index in 0..<taken where index % 1_000 != 0 { ledger.markAllocated(StatusSlot(list: 1, index: index), for: "mhlw") }
        for index in stride(from: 0, to: taken, by: 1_000) { ledger.revoke(StatusSlot(list: 1, index: index), for: "mhlw") }
        #expect(ledger.lists["mhlw"]?.first?.used == taken)
        #expect(ledger.isRevoked(StatusSlot(list: 1, index: 0), for: "mhlw"))
        let last = try ledger.allocate(for: "mhlw", from: random)
        #expect(last.list == 1)
        #expect(last.index >= taken, "drawn from the free slots only")
        // At three quarters full the list is closed: the next draws open list 2, and are drawn over all of it.
        let next = try (0..<64).map { _ in try ledger.allocate(for: "mhlw", from: random) }
        #expect(next.allSatisfy { $0.list == 2 })
        #expect(Set(next).count == 64)
        #expect(next.contains { $0.index < taken }, "list 2 starts empty")
        #expect(ledger.lists["mhlw"]?.map(\.used) == [StatusLedger.fill, 64])
        // Each authority has its own lists.
        #expect(try ledger.allocate(for: "tokyo", from: random).list == 1)
        // And the snapshot keeps every slot taken, so a reopened registry draws none of them again.
        let restored = try StatusLedger(snapshot: ledger.snapshot, path: "status")
        #expect(restored == ledger)
    }
}
