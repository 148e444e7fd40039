package dev.strata.dashboard;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host names a request may address the dashboard by: the bound address and its names, so that
 * a page on another site whose name was rebound to this machine (DNS rebinding) is refused.
 * Immutable, thread-safe.
 *
 * <ul>
 *   <li>bound to a loopback address: that address, {@code localhost}, {@code 127.0.0.1} and
 *       {@code ::1} (an SSH tunnel arrives as one of these);
 *   <li>bound to a wildcard ({@code 0.0.0.0}, {@code ::}): {@code localhost} and every address of
 *       every interface, with this machine's host name and its canonical name;
 *   <li>bound to another address: that address and this machine's names.
 * </ul>
 *
 * <p>Only the name is compared, not the port: a tunnel may forward another local port. Names are
 * compared case-insensitively and without a trailing dot.
 */
final class HostAllowList {

  private final Set<String> names;

  private HostAllowList(Set<String> names) {
    this.names = Collections.unmodifiableSet(names);
  }

  /** The allow-list for a dashboard bound to {@code boundHost}, plus {@code extra} names. */
  static HostAllowList forBinding(String boundHost, Set<String> extra) {
    Set<String> out = new TreeSet<>();
    String bound = normalise(boundHost);
    out.add(bound);
    extra.forEach(e -> out.add(normalise(e)));
    if (DashboardOptions.isLoopback(boundHost)) {
      out.addAll(Set.of("localhost", "127.0.0.1", normalise("::1")));
      return new HostAllowList(out);
    }
    out.add("localhost");
    out.addAll(Set.of("127.0.0.1", normalise("::1")));
    try {
      InetAddress local = InetAddress.getLocalHost();
      out.add(normalise(local.getHostName()));
      out.add(normalise(local.getCanonicalHostName()));
      out.add(normalise(local.getHostAddress()));
    } catch (java.io.IOException e) {
      // no resolvable host name: the addresses below still count
    }
    if (bound.equals("0.0.0.0") || bound.equals("0:0:0:0:0:0:0:0")) {
      try {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            out.add(normalise(a.getHostAddress()));
          }
        }
      } catch (SocketException e) {
        // interfaces not listable: the bound address and the host names still count
      }
    }
    return new HostAllowList(out);
  }

  Set<String> names() {
    return names;
  }

  /** Whether a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}) names this dashboard. */
  boolean allowsHostHeader(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.trim();
    String name;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = h.substring(1, end);
    } else {
      int colon = h.lastIndexOf(':');
      name = colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }
    return names.contains(normalise(name));
  }

  /** Whether an {@code Origin} header ({@code http://name:port}) names this dashboard; "null" never does. */
  boolean allowsOrigin(String origin) {
    try {
      URI u = new URI(origin.trim());
      if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return false;
      }
      return names.contains(normalise(u.getHost()));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String normalise(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    while (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    int zone = n.indexOf('%'); // fe80::1%eth0
    if (zone >= 0 && n.contains(":")) {
      n = n.substring(0, zone);
    }
    if (n.contains(":")) {
      try {
        n = InetAddress.getByName(n).getHostAddress().toLowerCase(Locale.ROOT); // one spelling of a v6 address
        int z = n.indexOf('%');
        if (z >= 0) {
          n = n.substring(0, z);
        }
      } catch (java.net.UnknownHostException e) {
        // not an address after all: keep the text
      }
    }
    return n;
  }
}
