package dev.strata.experiments.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The cluster options shared by {@code strata run} (the coordinator) and {@code strata worker}: a
 * picocli mixin ({@code @Mixin ClusterOptions cluster;}). Secrets and TLS passwords are never
 * taken on the command line (other users can read it); they come from a file or the environment.
 *
 * <p>Mutable (picocli fills the fields); read it on the command's thread only.
 */
public final class ClusterOptions {

  /** Environment variable with the shared cluster secret. */
  public static final String SECRET_ENV = "STRATA_CLUSTER_SECRET";

  /** Environment variables with the TLS store passwords. */
  public static final String KEYSTORE_PASSWORD_ENV = "STRATA_TLS_KEYSTORE_PASSWORD";

  public static final String TRUSTSTORE_PASSWORD_ENV = "STRATA_TLS_TRUSTSTORE_PASSWORD";

  @Option(names = "--cluster", description = "Take part in a cluster (run: as its coordinator; worker: required).")
  boolean enabled;

  @Option(names = "--cluster-host", paramLabel = "HOST",
      description = "Address of this machine to listen on and to tell the others (default: ${DEFAULT-VALUE}, this"
          + " machine only; give the LAN address for other machines to reach it).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--cluster-port", paramLabel = "PORT",
      description = "Hazelcast member port (coordinator default " + ClusterConfig.DEFAULT_PORT
          + "; worker default: the first free one from " + (ClusterConfig.DEFAULT_PORT + 1) + ").")
  Integer port;

  @Option(names = "--event-bus-port", paramLabel = "PORT",
      description = "Event-bus port (coordinator default " + ClusterConfig.DEFAULT_EVENT_BUS_PORT
          + "; worker default: a free one).")
  Integer eventBusPort;

  @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
      description = "Cluster members to join through (TCP/IP), e.g. the coordinator's 10.0.0.5:5701.")
  List<String> join = new ArrayList<>();

  @Option(names = "--local-workers", paramLabel = "N",
      description = "run --cluster: trials this machine trains itself next to the workers (default: its cores,"
          + " at most the experiment's parallel; 0 = only coordinate).")
  Integer localWorkers;

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterConfig.DEFAULT_NAME,
      description = "Cluster name; members with another name never join (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--cluster-secret-file", paramLabel = "FILE",
      description = "File holding the shared cluster secret (or set " + SECRET_ENV + "); every message is then"
          + " signed (HMAC-SHA256) and unsigned ones are refused. Without it the cluster is unauthenticated.")
  Path secretFile;

  @Option(names = "--multicast", description = "Also discover members by multicast (off by default).")
  boolean multicast;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "Key store (.p12/.pfx, else JKS) with this machine's TLS key and certificate for the event bus"
          + " (mutual TLS: every machine needs one); password in " + KEYSTORE_PASSWORD_ENV + ".")
  Path keyStore;

  @Option(names = "--tls-truststore", paramLabel = "FILE",
      description = "Trust store with the certificates (or their CA) of the other machines; password in "
          + TRUSTSTORE_PASSWORD_ENV + ".")
  Path trustStore;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate (chain) of this machine for the event bus; with --tls-key and --tls-ca"
          + " instead of the key stores.")
  Path pemCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted PKCS#8 or PKCS#1) of --tls-cert.")
  Path pemKey;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "PEM certificates of the CA (or of each machine) that the other machines' certificates chain to.")
  Path pemCa;

  @Option(names = "--heartbeat-seconds", paramLabel = "S", defaultValue = "2",
      description = "How often workers report (default: ${DEFAULT-VALUE}).")
  double heartbeatSeconds;

  @Option(names = "--worker-timeout-seconds", paramLabel = "S", defaultValue = "15",
      description = "Silence after which a worker counts as lost and its trials run elsewhere (default: ${DEFAULT-VALUE}).")
  double workerTimeoutSeconds;

  /** Whether {@code --cluster} was given. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code --local-workers}, or {@code fallback} when not given. */
  public int localWorkers(int fallback) {
    return localWorkers == null ? fallback : localWorkers;
  }

  /**
   * The configuration these options describe.
   *
   * @param coordinator true for {@code strata run --cluster} (fixed default ports), false for a worker
   * @throws IllegalArgumentException with a one-line message for a bad value, including a
   *     {@code --cluster-host} that is not an address of this machine and a {@code --join} host
   *     that does not resolve, or not within {@link ClusterNode#RESOLVE_TIMEOUT} (the caller reports it
   *     as bad input); the ports are checked by
   *     {@link ClusterNode#checkPorts}
   */
  public ClusterConfig toConfig(boolean coordinator) {
    if (localWorkers != null && localWorkers < 0) {
      throw new IllegalArgumentException("--local-workers must be >= 0, got " + localWorkers);
    }
    if ((keyStore == null) != (trustStore == null)) {
      throw new IllegalArgumentException("TLS needs both --tls-keystore and --tls-truststore");
    }
    boolean pem = pemCert != null || pemKey != null || pemCa != null;
    if (pem && (pemCert == null || pemKey == null || pemCa == null)) {
      throw new IllegalArgumentException("PEM TLS needs all of --tls-cert, --tls-key and --tls-ca");
    }
    if (pem && keyStore != null) {
      throw new IllegalArgumentException("give either --tls-keystore/--tls-truststore or --tls-cert/--tls-key/--tls-ca,"
          + " not both");
    }
    ClusterConfig.Tls tls = null;
    if (keyStore != null) {
      tls = new ClusterConfig.KeyStores(keyStore, System.getenv(KEYSTORE_PASSWORD_ENV), trustStore,
          System.getenv(TRUSTSTORE_PASSWORD_ENV));
    } else if (pem) {
      tls = new ClusterConfig.Pem(pemCert, pemKey, pemCa);
    }
    ClusterNode.checkTls(tls);
    if (!(heartbeatSeconds > 0) || !(workerTimeoutSeconds >= 2 * heartbeatSeconds)) {
      throw new IllegalArgumentException("--heartbeat-seconds must be > 0 and --worker-timeout-seconds at least twice"
          + " it, got " + heartbeatSeconds + " and " + workerTimeoutSeconds);
    }
    ClusterConfig config = ClusterConfig.builder()
        .clusterName(name)
        .host(host)
        .port(port != null ? port : coordinator ? ClusterConfig.DEFAULT_PORT : 0)
        .eventBusPort(eventBusPort != null ? eventBusPort : coordinator ? ClusterConfig.DEFAULT_EVENT_BUS_PORT : 0)
        .join(join)
        .multicast(multicast)
        .secret(secret())
        .tls(tls)
        .heartbeat(Duration.ofMillis(Math.round(heartbeatSeconds * 1000)))
        .workerTimeout(Duration.ofMillis(Math.round(workerTimeoutSeconds * 1000)))
        .build();
    ClusterNode.checkAddresses(config);
    return config;
  }

  private String secret() {
    if (secretFile != null) {
      try {
        String s = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
          throw new IllegalArgumentException("the cluster secret file " + secretFile + " is empty");
        }
        return s;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the cluster secret file " + secretFile + ": " + e.getMessage());
      }
    }
    String env = System.getenv(SECRET_ENV);
    return env == null || env.isBlank() ? null : env.strip();
  }
}
