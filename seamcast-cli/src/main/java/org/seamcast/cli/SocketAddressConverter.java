package org.seamcast.cli;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/**
 * Reads an address option in the spelling of {@link HostPort}: {@code host:port}, {@code :port} (every interface)
 * or {@code [v6]:port}.
 */
final class SocketAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress>
{
    @Override
    public InetSocketAddress convert(final String value)
    {
        try
        {
            return HostPort.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
