import java.lang.reflect.Field;

/**
 * Starts AWS's DynamoDB Local as its own ServerRunner does, but listening on 127.0.0.1 only.
 * DynamoDB Local has no option for the interface: its Jetty server listens on every interface,
 * and with -sharedDb and any credentials accepted, anyone who can reach the port could read and
 * write the twin's table. Reached by reflection so this file compiles without DynamoDB Local's
 * classes; run with Java's source launcher (`java -cp <DynamoDBLocal.jar>:<lib>/* <this file> ...`).
 */
public class DynamoDbLocalOnLoopback {
  public static void main(String[] args) throws Exception {
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxyServer = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field jettyField = proxyServer.getClass().getDeclaredField("server");
    jettyField.setAccessible(true);
    Object jetty = jettyField.get(proxyServer);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to loopback");
    for (Object connector : connectors) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
    }
    proxyServer.getClass().getMethod("start").invoke(proxyServer);
  }
}
