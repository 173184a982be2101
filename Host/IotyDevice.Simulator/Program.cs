using System;

namespace IotyDevice.Simulator
{
    internal static class Program
    {
        private static int Main(string[] argv)
        {
            string error;
            SimulatorArgs args = SimulatorArgs.Parse(argv, out error);
            if (args == null)
            {
                Console.Error.WriteLine("error: " + error);
                Console.Error.WriteLine();
                Console.Error.WriteLine(SimulatorArgs.Usage);
                return 1;
            }
            if (args.Help)
            {
                Console.WriteLine(SimulatorArgs.Usage);
                return 0;
            }
            using (var simulation = new Simulation(args, Console.Out))
            {
                return simulation.Run(Console.In, args.Once || Console.IsInputRedirected);
            }
        }
    }
}
