/// A JSON object: its members in their original order.
///
/// Member names compare as exact sequences of Unicode scalars (equivalently, of
/// UTF-16 code units), never with Swift's canonical-equivalence `==`, so that
/// names JCS keeps apart stay apart. Lookup is linear: objects in credentials and
/// records have a few dozen members at most.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One name–value pair.
    public struct Member: Sendable, Hashable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSONValue

        /// Creates a member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }

        public static func == (lhs: Member, rhs: Member) -> Bool {
            JSONValue.sameScalars(lhs.key, rhs.key) && lhs.value == rhs.value
        }

        public func hash(into hasher: inout Hasher) {
            JSONValue.hashScalars(key, into: &hasher)
            hasher.combine(value)
        }
    }

    /// The members, in order.
    public var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object with `members`, in that order. Names should be distinct; the parser guarantees it.
    public init(_ members: [Member]) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    /// How many members there are.
    public var count: Int { members.count }

    /// The member names, in order.
    public var keys: [String] { members.map(\.key) }

    /// The value of the member named `key`. Setting replaces it in place, appends a new member, or with
    /// `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { members.first { JSONValue.sameScalars($0.key, key) }?.value }
        set {
            let index = members.firstIndex { JSONValue.sameScalars($0.key, key) }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// A copy without the member named `key`.
    public func removing(_ key: String) -> JSONObject {
        JSONObject(members.filter { !JSONValue.sameScalars($0.key, key) })
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}
