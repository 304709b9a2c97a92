/** A set of row ids as a growable bitmap: a million cases cost 128 KiB, not a Set's tens of MB. */
export class IdSet {
  private bits = new Uint8Array(1 << 14);

  add(id: number): void {
    const byte = id >>> 3;
    if (byte >= this.bits.length) {
      let size = this.bits.length;
      while (size <= byte) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (id & 7));
  }

  has(id: number): boolean {
    return ((this.bits[id >>> 3] ?? 0) & (1 << (id & 7))) !== 0;
  }
}
