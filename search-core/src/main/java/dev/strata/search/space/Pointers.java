package dev.strata.search.space;

/** JSON pointer strings (RFC 6901) built by appending keys and indexes. */
final class Pointers {

  private Pointers() {}

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, String key) {
    return pointer + "/" + escape(key);
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }
}
